package dev.nvjrun.nvml;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.jna.Pointer;
import dev.nvjrun.nvml.binding.Bar1MemoryStruct;
import dev.nvjrun.nvml.binding.MemoryStruct;
import dev.nvjrun.nvml.binding.PciInfoStruct;
import dev.nvjrun.nvml.binding.ProcessInfoStruct;
import dev.nvjrun.nvml.binding.UtilizationStruct;
import org.junit.jupiter.api.Test;

/** Sizes and offsets the C compiler gives nvml.h's structs on LP64 Linux, checked in native memory. */
class StructLayoutTest {

    @Test
    void pciInfoHasLegacyBusIdFirstAndLongBusIdLast() {
        PciInfoStruct pci = new PciInfoStruct();
        pci.busIdLegacy[0] = 'L';
        pci.domain = 0x11;
        pci.pciSubSystemId = 0x22;
        pci.busId[0] = 'B';
        pci.write();
        assertEquals('L', pci.getPointer().getByte(0));
        assertEquals(0x11, pci.getPointer().getInt(16));
        assertEquals(0x22, pci.getPointer().getInt(32));
        assertEquals('B', pci.getPointer().getByte(36));
        assertEquals(68, pci.size());
    }

    @Test
    void processInfoPadsPidBeforeMemory() {
        ProcessInfoStruct info = new ProcessInfoStruct();
        info.pid = 7;
        info.usedGpuMemory = 0x1234_5678_9AL;
        info.gpuInstanceId = 3;
        info.computeInstanceId = 4;
        info.write();
        assertEquals(7, info.getPointer().getInt(0));
        assertEquals(0x1234_5678_9AL, info.getPointer().getLong(8));
        assertEquals(3, info.getPointer().getInt(16));
        assertEquals(4, info.getPointer().getInt(20));
        assertEquals(24, info.size());
    }

    @Test
    void processInfoArrayIsContiguous() {
        ProcessInfoStruct[] array = ProcessInfoStruct.array(3);
        assertEquals(3, array.length);
        assertEquals(48L, Pointer.nativeValue(array[2].getPointer()) - Pointer.nativeValue(array[0].getPointer()));
    }

    @Test
    void memoryStructsAreThreeUnsignedLongLongs() {
        assertEquals(24, new MemoryStruct().size());
        assertEquals(24, new Bar1MemoryStruct().size());
        assertEquals(8, new UtilizationStruct().size());
    }
}
