package dev.nvjrun.nvml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.Mockito.doReturn;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.PointerByReference;
import dev.nvjrun.nvml.binding.NvmlLibrary;
import dev.nvjrun.nvml.binding.ProcessInfoStruct;
import java.util.EnumSet;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Fault injection: a Mockito stand-in for libnvidia-ml returns the codes real drivers return in
 * situations no test host can produce on demand (driver not loaded, GPU fallen off the bus,
 * symbols missing from an old driver).
 */
class SessionErrorsTest {
    private static final int SUCCESS = 0;
    private NvmlLibrary lib;

    @BeforeEach
    void library() {
        lib = mock(NvmlLibrary.class);
        when(lib.nvmlErrorString(NvmlReturn.ERROR_GPU_IS_LOST.code())).thenReturn("GPU is lost");
        when(lib.nvmlErrorString(NvmlReturn.ERROR_DRIVER_NOT_LOADED.code())).thenReturn("Driver Not Loaded");
        when(lib.nvmlErrorString(NvmlReturn.ERROR_UNKNOWN.code())).thenReturn("Unknown Error");
        when(lib.nvmlDeviceGetCount_v2(any())).thenAnswer(call -> {
            call.<IntByReference>getArgument(0).setValue(2);
            return SUCCESS;
        });
        when(lib.nvmlDeviceGetHandleByIndex_v2(anyInt(), any())).thenAnswer(call -> {
            call.<PointerByReference>getArgument(1).setValue(new Pointer(0x1000 + call.<Integer>getArgument(0)));
            return SUCCESS;
        });
    }

    private NvmlSession session() {
        return new NvmlSession(lib, "/fake/libnvidia-ml.so.1", EnumSet.noneOf(InitFlag.class));
    }

    @Test
    void driverNotLoadedAtInitSaysToLoadTheModule() {
        when(lib.nvmlInit_v2()).thenReturn(NvmlReturn.ERROR_DRIVER_NOT_LOADED.code());
        NvmlException e = assertThrows(NvmlException.class, this::session);
        assertEquals("nvmlInit_v2", e.function());
        assertEquals(NvmlReturn.ERROR_DRIVER_NOT_LOADED, e.result());
        assertTrue(e.getMessage().startsWith("nvmlInit_v2 failed: Driver Not Loaded."), e.getMessage());
        assertTrue(e.getMessage().contains("modprobe nvidia"), e.getMessage());
    }

    @Test
    void initWithFlagsPassesTheirBits() {
        new NvmlSession(lib, "x", EnumSet.of(InitFlag.NO_GPUS, InitFlag.NO_ATTACH));
        verify(lib).nvmlInitWithFlags(3);
        verify(lib, times(0)).nvmlInit_v2();
    }

    @Test
    void lostGpuIsAnExceptionWithNvmlsMessage() {
        when(lib.nvmlDeviceGetUUID(any(), any(), anyInt())).thenReturn(NvmlReturn.ERROR_GPU_IS_LOST.code());
        try (NvmlSession session = session()) {
            NvmlException e = assertThrows(NvmlException.class, () -> session.device(0).uuid());
            assertEquals("nvmlDeviceGetUUID failed: GPU is lost", e.getMessage());
            assertEquals("nvmlDeviceGetUUID", e.function());
            assertTrue(e.isGpuLost());
        }
    }

    @Test
    void notSupportedIsAbsent() {
        when(lib.nvmlDeviceGetPowerUsage(any(), any())).thenReturn(NvmlReturn.ERROR_NOT_SUPPORTED.code());
        try (NvmlSession session = session()) {
            assertEquals(OptionalInt.empty(), session.device(0).powerUsageMilliwatts());
        }
    }

    @Test
    void symbolMissingFromOldDriverIsAbsent() {
        when(lib.nvmlDeviceGetNumGpuCores(any(), any())).thenThrow(new UnsatisfiedLinkError("no nvmlDeviceGetNumGpuCores"));
        when(lib.nvmlDeviceGetComputeRunningProcesses_v3(any(), any(), any()))
                .thenThrow(new UnsatisfiedLinkError("no _v3"));
        try (NvmlSession session = session()) {
            assertEquals(OptionalInt.empty(), session.device(0).gpuCores());
            assertEquals(Optional.empty(), session.device(0).computeProcesses(session));
        }
    }

    @Test
    void cudaVersionFallsBackToTheOlderCall() {
        when(lib.nvmlSystemGetCudaDriverVersion_v2(any())).thenThrow(new UnsatisfiedLinkError("old driver"));
        when(lib.nvmlSystemGetCudaDriverVersion(any())).thenAnswer(call -> {
            call.<IntByReference>getArgument(0).setValue(11080);
            return SUCCESS;
        });
        try (NvmlSession session = session()) {
            assertEquals(Optional.of(new CudaVersion(11, 8)), session.cudaDriverVersion());
        }
    }

    @Test
    void errorWithoutNvmlErrorStringStillNamesTheCode() {
        when(lib.nvmlErrorString(anyInt())).thenThrow(new UnsatisfiedLinkError("gone"));
        doReturn(NvmlReturn.ERROR_GPU_IS_LOST.code()).when(lib).nvmlDeviceGetCount_v2(any());
        try (NvmlSession session = session()) {
            NvmlException e = assertThrows(NvmlException.class, session::deviceCount);
            assertEquals("nvmlDeviceGetCount_v2 failed: NVML error 15 (ERROR_GPU_IS_LOST)", e.getMessage());
        }
    }

    @Test
    void unknownUuidIsEmptyNotAnError() {
        when(lib.nvmlDeviceGetHandleByUUID(any(), any())).thenReturn(NvmlReturn.ERROR_NOT_FOUND.code());
        try (NvmlSession session = session()) {
            assertEquals(Optional.empty(), session.deviceByUuid("GPU-00000000-0000-0000-0000-000000000000"));
        }
    }

    @Test
    void growsTheProcessBufferWhenNvmlAsksForMore() {
        when(lib.nvmlDeviceGetComputeRunningProcesses_v3(any(), any(), any())).thenAnswer(call -> {
            IntByReference count = call.getArgument(1);
            if (count.getValue() < 40) {
                count.setValue(40);
                return NvmlReturn.ERROR_INSUFFICIENT_SIZE.code();
            }
            ProcessInfoStruct first = call.getArgument(2);
            ProcessInfoStruct[] all = (ProcessInfoStruct[]) first.toArray(count.getValue());
            for (int i = 0; i < 40; i++) {
                all[i].pid = 100 + i;
                all[i].usedGpuMemory = ProcessInfoStruct.VALUE_NOT_AVAILABLE;
                all[i].gpuInstanceId = ProcessInfoStruct.NO_INSTANCE;
                all[i].computeInstanceId = ProcessInfoStruct.NO_INSTANCE;
                all[i].write();
            }
            count.setValue(40);
            return SUCCESS;
        });
        when(lib.nvmlSystemGetProcessName(anyInt(), any(), anyInt())).thenReturn(NvmlReturn.ERROR_NOT_FOUND.code());
        try (NvmlSession session = session()) {
            var processes = session.device(0).computeProcesses(session).orElseThrow();
            assertEquals(40, processes.size());
            assertEquals(139, processes.get(39).pid());
            assertTrue(processes.get(0).usedMemory().isEmpty());
            assertTrue(processes.get(0).gpuInstanceId().isEmpty());
            assertTrue(processes.get(0).name().isEmpty());
        }
    }

    @Test
    void closeShutsDownOnce() {
        NvmlSession session = session();
        session.close();
        session.close();
        verify(lib, times(1)).nvmlShutdown();
    }

    @Test
    void failedShutdownIsReported() {
        when(lib.nvmlShutdown()).thenReturn(NvmlReturn.ERROR_UNKNOWN.code());
        NvmlSession session = session();
        NvmlException e = assertThrows(NvmlException.class, session::close);
        assertEquals("nvmlShutdown failed: Unknown Error", e.getMessage());
    }
}
