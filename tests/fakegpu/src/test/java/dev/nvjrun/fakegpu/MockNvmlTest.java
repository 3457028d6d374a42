package dev.nvjrun.fakegpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;
import dev.nvjrun.fakegpu.config.HostDescription;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MockNvmlTest {

    @TempDir
    Path tmp;

    private MockNvml nvml;

    @AfterEach
    void shutDown() {
        if (nvml != null) {
            while (nvml.call("nvmlShutdown") == MockNvml.SUCCESS) {
                // release every nvmlInit a test made
            }
        }
    }

    private MockNvml started(HostSpec spec) throws IOException {
        FakeGpuHost host = FakeGpuHost.create(tmp.resolve("host"), spec);
        nvml = new MockNvml(host.nvmlLibrary());
        assertEquals(MockNvml.SUCCESS, nvml.call("nvmlInit_v2"));
        return nvml;
    }

    private static String text(MockNvml nvml, String function, Object first, int size) {
        Memory buffer = new Memory(size);
        int result = nvml.call(function, first, buffer, size);
        assertEquals(MockNvml.SUCCESS, result, function);
        return buffer.getString(0);
    }

    @Test
    void answersIdentityFromTheDescription() throws IOException {
        FakeGpuHost host = FakeGpuHost.create(tmp.resolve("host"), HostSpec.defaults().withGpus(3));
        nvml = new MockNvml(host.nvmlLibrary());
        assertEquals(MockNvml.SUCCESS, nvml.call("nvmlInit_v2"));

        assertEquals(3, nvml.count());
        Pointer second = nvml.handle(1);
        assertEquals(host.gpus().get(1).uuid(), text(nvml, "nvmlDeviceGetUUID", second, 96));
        assertEquals("NVIDIA A100-SXM4-80GB", text(nvml, "nvmlDeviceGetName", second, 96));
        IntByReference minor = new IntByReference();
        assertEquals(MockNvml.SUCCESS, nvml.call("nvmlDeviceGetMinorNumber", second, minor));
        assertEquals(1, minor.getValue());
        Memory version = new Memory(80);
        assertEquals(MockNvml.SUCCESS, nvml.call("nvmlSystemGetDriverVersion", version, 80));
        assertEquals("550.54.15", version.getString(0));
        IntByReference cuda = new IntByReference();
        assertEquals(MockNvml.SUCCESS, nvml.call("nvmlSystemGetCudaDriverVersion_v2", cuda));
        assertEquals(12040, cuda.getValue());
    }

    @Test
    void fillsPciInfoV3WithNvmlLayout() throws IOException {
        MockNvml nvml = started(HostSpec.defaults());
        // nvmlPciInfo_t: busIdLegacy[16], domain, bus, device, pciDeviceId, pciSubSystemId, busId[32]
        Memory pci = new Memory(68);
        assertEquals(MockNvml.SUCCESS, nvml.call("nvmlDeviceGetPciInfo_v3", nvml.handle(1), pci));
        assertEquals("0000:02:00.0", pci.getString(0));
        assertEquals(0, pci.getInt(16));
        assertEquals(2, pci.getInt(20));
        assertEquals(0, pci.getInt(24));
        assertEquals(0x20B210DE, pci.getInt(28));
        assertEquals(0x147F10DE, pci.getInt(32));
        assertEquals("00000000:02:00.0", pci.getString(36));
    }

    @Test
    void fillsMemoryStructAndListsProcesses() throws IOException {
        MockNvml nvml = started(HostSpec.defaults());
        Pointer first = nvml.handle(0);
        Memory memory = new Memory(24);
        assertEquals(MockNvml.SUCCESS, nvml.call("nvmlDeviceGetMemoryInfo", first, memory));
        long total = 81920L * 1024 * 1024;
        assertEquals(total, memory.getLong(0));
        assertEquals(total - (1L << 30), memory.getLong(8));
        assertEquals(1L << 30, memory.getLong(16));

        IntByReference count = new IntByReference(0);
        assertEquals(MockNvml.INSUFFICIENT_SIZE,
                nvml.call("nvmlDeviceGetComputeRunningProcesses_v3", first, count, Pointer.NULL));
        assertEquals(1, count.getValue());
        Memory infos = new Memory(24L * count.getValue());
        assertEquals(MockNvml.SUCCESS, nvml.call("nvmlDeviceGetComputeRunningProcesses_v3", first, count, infos));
        assertEquals(HostDescription.DEFAULT_PROCESS_PID, infos.getInt(0));
        assertEquals(1L << 30, infos.getLong(8));
        assertEquals(HostDescription.DEFAULT_PROCESS_NAME,
                text(nvml, "nvmlSystemGetProcessName", HostDescription.DEFAULT_PROCESS_PID, 64));
    }

    @Test
    void refusesShortBuffersBadHandlesAndNullPointers() throws IOException {
        MockNvml nvml = started(HostSpec.defaults());
        Pointer first = nvml.handle(0);
        assertEquals(MockNvml.INSUFFICIENT_SIZE, nvml.call("nvmlDeviceGetUUID", first, new Memory(8), 8));
        assertEquals(MockNvml.INVALID_ARGUMENT, nvml.call("nvmlDeviceGetName", new Pointer(0x1234), new Memory(96), 96));
        assertEquals(MockNvml.INVALID_ARGUMENT, nvml.call("nvmlDeviceGetMemoryInfo", first, Pointer.NULL));
        assertEquals(MockNvml.INVALID_ARGUMENT, nvml.call("nvmlDeviceGetHandleByIndex_v2", 2, new PointerByReference()));
        assertEquals(MockNvml.NOT_FOUND, nvml.call("nvmlDeviceGetHandleByUUID", "GPU-nope", new PointerByReference()));
    }

    @Test
    void findsDevicesByUuidAndBusId() throws IOException {
        FakeGpuHost host = FakeGpuHost.create(tmp.resolve("host"), HostSpec.defaults().withGpus(2));
        nvml = new MockNvml(host.nvmlLibrary());
        assertEquals(MockNvml.SUCCESS, nvml.call("nvmlInit_v2"));
        PointerByReference byUuid = new PointerByReference();
        assertEquals(MockNvml.SUCCESS, nvml.call("nvmlDeviceGetHandleByUUID", host.gpus().get(1).uuid(), byUuid));
        assertEquals(nvml.handle(1), byUuid.getValue());
        PointerByReference byBus = new PointerByReference();
        assertEquals(MockNvml.SUCCESS, nvml.call("nvmlDeviceGetHandleByPciBusId_v2", "0000:01:00.0", byBus));
        assertEquals(nvml.handle(0), byBus.getValue());
    }

    @Test
    void answersNotSupportedForValuesAbsentFromTheDescription() throws IOException {
        FakeGpuHost host = FakeGpuHost.create(tmp.resolve("host"), HostSpec.defaults());
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode description = (ObjectNode) mapper.readTree(host.configFile().toFile());
        ((ObjectNode) description.path("gpus").get(0)).remove("powerUsage");
        Files.write(host.configFile(), mapper.writeValueAsBytes(description));
        nvml = new MockNvml(host.nvmlLibrary());
        assertEquals(MockNvml.SUCCESS, nvml.call("nvmlInit_v2"));

        IntByReference power = new IntByReference();
        assertEquals(MockNvml.NOT_SUPPORTED, nvml.call("nvmlDeviceGetPowerUsage", nvml.handle(0), power));
        assertEquals(MockNvml.SUCCESS, nvml.call("nvmlDeviceGetPowerUsage", nvml.handle(1), power));
        assertEquals(62_000, power.getValue());
    }

    @Test
    void showsInjectedFailuresAtTheNextInit() throws IOException {
        FakeGpuHost host = FakeGpuHost.create(tmp.resolve("host"), HostSpec.defaults());
        MockNvml nvml = new MockNvml(host.nvmlLibrary());

        host.injectFailure(new Failure.NotSupported("nvmlDeviceGetTemperature"));
        host.injectFailure(new Failure.GpuLost(1));
        assertEquals(MockNvml.SUCCESS, nvml.call("nvmlInit_v2"));
        this.nvml = nvml;
        IntByReference value = new IntByReference();
        assertEquals(MockNvml.NOT_SUPPORTED, nvml.call("nvmlDeviceGetTemperature", nvml.handle(0), 0, value));
        PointerByReference lost = new PointerByReference();
        assertEquals(MockNvml.GPU_IS_LOST, nvml.call("nvmlDeviceGetHandleByIndex_v2", 1, lost));
        assertEquals(MockNvml.GPU_IS_LOST, nvml.call("nvmlDeviceGetMinorNumber", lost.getValue(), value));
        assertEquals(MockNvml.SUCCESS, nvml.call("nvmlShutdown"));

        host.injectFailure(new Failure.DriverNotLoaded());
        assertEquals(MockNvml.DRIVER_NOT_LOADED, nvml.call("nvmlInit_v2"));
        host.clearFailures();
        host.injectFailure(new Failure.InitFails(12));
        assertEquals(12, nvml.call("nvmlInit_v2"));
        assertEquals(MockNvml.UNINITIALIZED, nvml.call("nvmlDeviceGetCount_v2", new IntByReference()));

        host.clearFailures();
        assertEquals(MockNvml.SUCCESS, nvml.call("nvmlInit_v2"));
        assertEquals(MockNvml.SUCCESS, nvml.call("nvmlDeviceGetMinorNumber", nvml.handle(1), value));
    }

    @Test
    void answersUninitializedBeforeInit() throws IOException {
        FakeGpuHost host = FakeGpuHost.create(tmp.resolve("host"), HostSpec.defaults());
        MockNvml fresh = new MockNvml(host.nvmlLibrary());
        assertEquals(MockNvml.UNINITIALIZED, fresh.call("nvmlDeviceGetCount_v2", new IntByReference()));
        assertEquals(MockNvml.UNINITIALIZED, fresh.call("nvmlShutdown"));
        fresh.function("nvmlErrorString").invokeString(new Object[] {MockNvml.GPU_IS_LOST}, false);
        assertEquals("GPU is lost", fresh.function("nvmlErrorString").invokeString(new Object[] {15}, false));
    }

    @Test
    void exposesMigDevicesWithTheirOwnIdentity() throws IOException {
        MockNvml nvml = started(HostSpec.defaults().withMig(true));
        Pointer gpu = nvml.handle(0);
        IntByReference current = new IntByReference();
        IntByReference pending = new IntByReference();
        assertEquals(MockNvml.SUCCESS, nvml.call("nvmlDeviceGetMigMode", gpu, current, pending));
        assertEquals(1, current.getValue());
        PointerByReference mig = new PointerByReference();
        assertEquals(MockNvml.SUCCESS, nvml.call("nvmlDeviceGetMigDeviceHandleByIndex", gpu, 1, mig));
        IntByReference isMig = new IntByReference();
        assertEquals(MockNvml.SUCCESS, nvml.call("nvmlDeviceIsMigDeviceHandle", mig.getValue(), isMig));
        assertEquals(1, isMig.getValue());
        assertTrue(text(nvml, "nvmlDeviceGetUUID", mig.getValue(), 96).startsWith("MIG-"));
        IntByReference gi = new IntByReference();
        assertEquals(MockNvml.SUCCESS, nvml.call("nvmlDeviceGetGpuInstanceId", mig.getValue(), gi));
        assertEquals(2, gi.getValue());
        PointerByReference parent = new PointerByReference();
        assertEquals(MockNvml.SUCCESS, nvml.call("nvmlDeviceGetDeviceHandleFromMigDeviceHandle", mig.getValue(), parent));
        assertEquals(gpu, parent.getValue());
        assertEquals(MockNvml.SUCCESS, nvml.call("nvmlDeviceIsMigDeviceHandle", gpu, isMig));
        assertEquals(0, isMig.getValue());
        assertEquals(MockNvml.NOT_FOUND, nvml.call("nvmlDeviceGetMigDeviceHandleByIndex", gpu, 2, mig));
    }

    @Test
    void reportsTopologyAffinityAndEcc() throws IOException {
        MockNvml nvml = started(HostSpec.defaults().withGpus(4));
        IntByReference level = new IntByReference();
        assertEquals(MockNvml.SUCCESS, nvml.call("nvmlDeviceGetTopologyCommonAncestor", nvml.handle(0), nvml.handle(3), level));
        assertEquals(50, level.getValue());
        assertEquals(MockNvml.SUCCESS, nvml.call("nvmlDeviceGetTopologyCommonAncestor", nvml.handle(0), nvml.handle(1), level));
        assertEquals(10, level.getValue());
        Memory cpus = new Memory(16);
        assertEquals(MockNvml.SUCCESS, nvml.call("nvmlDeviceGetCpuAffinity", nvml.handle(3), 2, cpus));
        assertEquals(0xFFFFFFFF00000000L, cpus.getLong(0));
        assertEquals(0L, cpus.getLong(8));
        LongByReference corrected = new LongByReference();
        assertEquals(MockNvml.SUCCESS, nvml.call("nvmlDeviceGetTotalEccErrors", nvml.handle(0), 0, 1, corrected));
        assertEquals(2L, corrected.getValue());
        IntByReference status = new IntByReference(-1);
        assertEquals(MockNvml.SUCCESS, nvml.call("nvmlDeviceGetP2PStatus", nvml.handle(0), nvml.handle(1), 2, status));
        assertEquals(0, status.getValue());
    }

    @Test
    void keepsTwoHostsApartInOneProcess() throws IOException {
        FakeGpuHost small = FakeGpuHost.create(tmp.resolve("small"), HostSpec.defaults().withGpus(1));
        FakeGpuHost large = FakeGpuHost.create(tmp.resolve("large"), HostSpec.defaults().withGpus(5)
                .withModel("Tesla T4"));
        MockNvml one = new MockNvml(small.nvmlLibrary());
        MockNvml five = new MockNvml(large.nvmlLibrary());
        assertEquals(MockNvml.SUCCESS, one.call("nvmlInit_v2"));
        assertEquals(MockNvml.SUCCESS, five.call("nvmlInit_v2"));
        try {
            assertEquals(1, one.count());
            assertEquals(5, five.count());
            assertEquals("Tesla T4", text(five, "nvmlDeviceGetName", five.handle(4), 96));
            IntByReference mode = new IntByReference();
            assertEquals(MockNvml.NOT_SUPPORTED, five.call("nvmlDeviceGetMigMode", five.handle(0), mode, mode));
        } finally {
            one.call("nvmlShutdown");
            five.call("nvmlShutdown");
        }
    }

    @Test
    void legacyDriverLacksNewerSymbols() throws IOException {
        MockNvml nvml = started(HostSpec.defaults().withLegacyDriver(true));
        for (String missing : new String[] {"nvmlDeviceGetComputeRunningProcesses_v3", "nvmlDeviceGetNumGpuCores",
                "nvmlDeviceGetMemoryBusWidth", "nvmlSystemGetCudaDriverVersion_v2", "nvmlDeviceGetMigMode",
                "nvmlDeviceIsMigDeviceHandle", "nvmlDeviceGetDeviceHandleFromMigDeviceHandle"}) {
            assertThrows(UnsatisfiedLinkError.class, () -> nvml.function(missing), missing);
        }
        assertEquals(2, nvml.count());
        IntByReference cuda = new IntByReference();
        assertEquals(MockNvml.SUCCESS, nvml.call("nvmlSystemGetCudaDriverVersion", cuda));
        assertNotEquals(0, cuda.getValue());
    }

    @Test
    void refusesMalformedDescriptionAtInit() throws IOException {
        FakeGpuHost host = FakeGpuHost.create(tmp.resolve("host"), HostSpec.defaults());
        Files.writeString(host.configFile(), "{\"gpus\": [");
        MockNvml broken = new MockNvml(host.nvmlLibrary());
        assertEquals(999, broken.call("nvmlInit_v2"));
        assertEquals(MockNvml.UNINITIALIZED, broken.call("nvmlDeviceGetCount_v2", new IntByReference()));
        Files.delete(host.configFile());
        assertEquals(MockNvml.DRIVER_NOT_LOADED, broken.call("nvmlInit_v2"));
    }

    @Test
    void fallsBackToTheConfigNamedInTheEnvironment() throws IOException {
        FakeGpuHost host = FakeGpuHost.create(tmp.resolve("host"), HostSpec.defaults().withGpus(4));
        Path elsewhere = Files.createDirectories(tmp.resolve("copy/a/b")).resolve("libnvidia-ml.so.1");
        Files.copy(host.nvmlLibrary(), elsewhere);
        com.sun.jna.Function setenv = com.sun.jna.NativeLibrary.getInstance("c").getFunction("setenv");
        com.sun.jna.Function unsetenv = com.sun.jna.NativeLibrary.getInstance("c").getFunction("unsetenv");
        assertEquals(0, setenv.invokeInt(new Object[] {"NVJRUN_FAKEGPU_CONFIG", host.configFile().toString(), 1}));
        try {
            MockNvml copy = new MockNvml(elsewhere);
            assertEquals(MockNvml.SUCCESS, copy.call("nvmlInit_v2"));
            assertEquals(4, copy.count());
            assertEquals(MockNvml.SUCCESS, copy.call("nvmlShutdown"));
        } finally {
            unsetenv.invokeInt(new Object[] {"NVJRUN_FAKEGPU_CONFIG"});
        }
    }

    @Test
    void returnsEscapedAndNonAsciiNamesIntact() throws IOException {
        String model = "NVIDIA \"Quoted\" \\ Grafikkarte \u00dcber";
        MockNvml nvml = started(HostSpec.defaults().withModel(model).withGpus(1));
        assertEquals(model, text(nvml, "nvmlDeviceGetName", nvml.handle(0), 96));
    }
}
