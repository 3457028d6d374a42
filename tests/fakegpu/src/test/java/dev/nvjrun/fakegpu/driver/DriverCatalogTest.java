package dev.nvjrun.fakegpu.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nvjrun.fakegpu.elf.AbiTag;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class DriverCatalogTest {

    private final Map<String, DriverLibrary> bySoname = new DriverCatalog("550.54.15").libraries().stream()
            .collect(Collectors.toMap(DriverLibrary::soname, Function.identity()));

    @Test
    void coversEveryCapability() {
        Set<Capability> covered = EnumSet.noneOf(Capability.class);
        bySoname.values().forEach(library -> covered.add(library.capability()));
        assertEquals(EnumSet.allOf(Capability.class), covered);
    }

    @Test
    void glvndVendorLibrariesNeedTheNvidiaCores() {
        assertTrue(bySoname.get("libGLX_nvidia.so.0").needed().contains("libnvidia-glcore.so.550.54.15"));
        assertTrue(bySoname.get("libEGL_nvidia.so.0").needed().contains("libnvidia-eglcore.so.550.54.15"));
        assertTrue(bySoname.get("libGLESv2_nvidia.so.2").needed().contains("libGLdispatch.so.0"));
    }

    @Test
    void namesFilesAfterTheDriverVersion() {
        assertEquals("libcuda.so.550.54.15", bySoname.get("libcuda.so.1").fileName());
        assertEquals(AbiTag.LINUX_2_3_99, bySoname.get("libnvidia-tls.so.550.54.15").abiTag());
        assertTrue(bySoname.get("libcuda.so.1").has32Bit());
        assertTrue(!bySoname.get("libnvidia-ml.so.1").has32Bit());
    }
}
