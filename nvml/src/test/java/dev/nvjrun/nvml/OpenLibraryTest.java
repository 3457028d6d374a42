package dev.nvjrun.nvml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OpenLibraryTest {

    @Test
    void refusesMissingLibraryNamingItAndTheFix(@TempDir Path dir) {
        Path missing = dir.resolve("libnvidia-ml.so.1");
        NvmlException e = assertThrows(NvmlException.class, () -> Nvml.open(missing));
        assertEquals(NvmlReturn.ERROR_LIBRARY_NOT_FOUND, e.result());
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("driver root"), e.getMessage());
    }

    @Test
    void refusesAFileThatIsNotASharedLibrary(@TempDir Path dir) throws Exception {
        Path bogus = Files.writeString(dir.resolve("libnvidia-ml.so.1"), "not an ELF file");
        NvmlException e = assertThrows(NvmlException.class, () -> Nvml.open(bogus));
        assertTrue(e.getMessage().startsWith("cannot load NVML from " + bogus), e.getMessage());
        assertTrue(e.getMessage().contains("Install the NVIDIA driver"), e.getMessage());
    }

    @Test
    void refusesALibraryWithoutNvml() {
        // libc is a real shared object on every host, but it has no nvmlInit_v2.
        Path libc = Path.of("/lib/x86_64-linux-gnu/libc.so.6");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(libc), "x86_64 Debian layout");
        NvmlException e = assertThrows(NvmlException.class, () -> Nvml.open(libc));
        assertEquals("nvmlInit_v2", e.function());
        assertTrue(e.getMessage().contains("Upgrade the NVIDIA driver"), e.getMessage());
    }
}
