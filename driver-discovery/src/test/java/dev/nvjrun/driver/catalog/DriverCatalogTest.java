package dev.nvjrun.driver.catalog;

import static dev.nvjrun.driver.catalog.StubDriverRoot.LIB32;
import static dev.nvjrun.driver.catalog.StubDriverRoot.LIB64;
import static dev.nvjrun.driver.catalog.StubDriverRoot.VERSION;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nvjrun.driver.DriverDiscoveryException;
import dev.nvjrun.driver.HostRoots;
import dev.nvjrun.driver.HostTools;
import dev.nvjrun.driver.ldcache.LibraryArch;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DriverCatalogTest {

    @TempDir
    static Path dir;
    static Path root;
    static DriverCatalog catalog;

    @BeforeAll
    static void buildRoot() throws IOException {
        root = new StubDriverRoot(dir.resolve("host")).build().root();
        catalog = new DriverCatalog(HostRoots.under(root), Map.of());
    }

    private static List<String> names(List<DriverFile> files, FileKind kind) {
        return files.stream().filter(f -> f.kind() == kind).map(f -> f.hostPath().getFileName().toString()).toList();
    }

    private static Path lib64(String name) {
        return root.resolve(LIB64).resolve(name);
    }

    @Test
    void findsComputeAndUtilityLibrariesOfTheRunningDriver() throws Exception {
        List<DriverFile> files = catalog.find(Capability.parse("compute,utility"), VERSION);
        assertEquals(List.of("libnvidia-ml.so." + VERSION, "libnvidia-cfg.so." + VERSION, "libcuda.so." + VERSION,
                "libnvidia-ptxjitcompiler.so." + VERSION), names(files, FileKind.LIB64));
        DriverFile cuda = files.stream().filter(f -> f.hostPath().equals(lib64("libcuda.so." + VERSION))).findFirst().orElseThrow();
        assertEquals(Capability.COMPUTE, cuda.capability());
        assertEquals(Optional.of("libcuda.so.1"), cuda.soname());
        assertEquals(List.of(), names(files, FileKind.LIB32));
    }

    @Test
    void leavesOutAStaleDriverFoundFirstInTheCache() throws Exception {
        String cacheOrder = HostTools.runText("ldconfig", "-p", "-C", root.resolve("etc/ld.so.cache").toString());
        assertTrue(cacheOrder.indexOf("nvidia-old/libcuda.so.1") >= 0, "the stub root must contain the stale libcuda");
        List<DriverFile> files = catalog.find(Set.of(Capability.COMPUTE), VERSION);
        assertTrue(files.stream().noneMatch(f -> f.hostPath().toString().contains(StubDriverRoot.STALE)), files.toString());
        assertTrue(files.stream().anyMatch(f -> f.hostPath().equals(lib64("libcuda.so." + VERSION))));
    }

    @Test
    void takesOnlyNvidiasGlLibrariesAndTheNewTlsAbi() throws Exception {
        List<String> libs = names(catalog.find(Set.of(Capability.GRAPHICS), VERSION), FileKind.LIB64);
        assertEquals(List.of("libnvidia-eglcore.so." + VERSION, "libnvidia-glcore.so." + VERSION,
                "libnvidia-tls.so." + VERSION, "libGLX_nvidia.so." + VERSION, "libEGL_nvidia.so." + VERSION,
                "libGL.so." + VERSION), libs);
    }

    @Test
    void adds32BitLibrariesOnlyWithCompat32() throws Exception {
        List<DriverFile> with = catalog.find(Capability.parse("utility,compute,graphics,compat32"), VERSION);
        assertEquals(List.of(root.resolve(LIB32).resolve("libnvidia-ml.so." + VERSION),
                        root.resolve(LIB32).resolve("libcuda.so." + VERSION)),
                with.stream().filter(f -> f.kind() == FileKind.LIB32).map(DriverFile::hostPath).toList());
        assertTrue(catalog.find(Capability.parse("utility,compute,graphics"), VERSION).stream()
                .noneMatch(f -> f.kind() == FileKind.LIB32));
    }

    @Test
    void findsBinariesFirmwareAndIpcOfTheDriver() throws Exception {
        List<DriverFile> files = catalog.find(Capability.parse("utility,compute"), VERSION);
        assertEquals(List.of("nvidia-smi", "nvidia-persistenced", "nvidia-cuda-mps-control"), names(files, FileKind.BIN));
        assertEquals(List.of("gsp_ga10x.bin", "gsp_tu10x.bin"), names(files, FileKind.FIRMWARE));
        assertTrue(files.stream().filter(f -> f.kind() == FileKind.FIRMWARE)
                .allMatch(f -> f.hostPath().getParent().endsWith(VERSION)));
        assertEquals(List.of(root.resolve("run/nvidia-persistenced/socket"), root.resolve("tmp/nvidia-mps")),
                files.stream().filter(f -> f.kind() == FileKind.IPC).map(DriverFile::hostPath).toList());
    }

    @Test
    void takesTheMpsPipeDirectoryFromTheEnvironment() throws Exception {
        Files.createDirectories(root.resolve("var/mps"));
        DriverCatalog withEnv = new DriverCatalog(HostRoots.under(root), Map.of("CUDA_MPS_PIPE_DIRECTORY", "/var/mps"));
        assertTrue(withEnv.find(Set.of(Capability.COMPUTE), VERSION).stream()
                .anyMatch(f -> f.kind() == FileKind.IPC && f.hostPath().equals(root.resolve("var/mps"))));
        assertTrue(catalog.find(Set.of(Capability.UTILITY), VERSION).stream()
                .noneMatch(f -> f.hostPath().equals(root.resolve("tmp/nvidia-mps"))), "MPS is for compute only");
    }

    @Test
    void findsVideoAndNgxLibraries() throws Exception {
        assertEquals(List.of("libnvidia-encode.so." + VERSION, "libnvcuvid.so." + VERSION),
                names(catalog.find(Set.of(Capability.VIDEO), VERSION), FileKind.LIB64));
        assertEquals(List.of("libnvidia-ngx.so." + VERSION),
                names(catalog.find(Set.of(Capability.NGX), VERSION), FileKind.LIB64));
    }

    @Test
    void takesDisplayLibrariesOfTheirOwnVersionAndTheModesetDevice() throws Exception {
        Files.createDirectories(root.resolve("dev"));
        Files.writeString(root.resolve("dev/nvidia-modeset"), "");
        List<DriverFile> files = catalog.find(Set.of(Capability.DISPLAY), VERSION);
        assertEquals(List.of("libnvidia-egl-wayland.so.1.1.13"), names(files, FileKind.LIB64));
        assertEquals(List.of(root.resolve("dev/nvidia-modeset")),
                files.stream().filter(f -> f.kind() == FileKind.DEVICE).map(DriverFile::hostPath).toList());
    }

    @Test
    void findsNoLibrariesForAnotherDriverVersion() throws Exception {
        assertEquals(List.of(), names(catalog.find(Set.of(Capability.COMPUTE), "999.1.1"), FileKind.LIB64));
    }

    @Test
    void readsTheInstalledVersionFromTheNvmlFileName() throws Exception {
        assertEquals(VERSION, catalog.installedLibraryVersion());
    }

    @Test
    void saysNoDriverWhenNvmlIsNotInTheCache(@TempDir Path empty) throws Exception {
        Files.createDirectories(empty.resolve("etc"));
        Files.writeString(empty.resolve("etc/ld.so.conf"), "");
        HostTools.run("ldconfig", "-r", empty.toString());
        DriverNotFoundException e = assertThrows(DriverNotFoundException.class,
                () -> new DriverCatalog(HostRoots.under(empty), Map.of()).find(Set.of(Capability.UTILITY), VERSION));
        assertEquals("no NVIDIA driver found: libnvidia-ml.so.1 for x86_64 is not in " + empty.resolve("etc/ld.so.cache")
                + " (driver root " + empty + "). Install the driver or set --driver-root", e.getMessage());
    }

    /**
     * An arm64 host's cache: the stub root's, with its 64-bit entries flagged as AArch64 (glibc's
     * FLAG_AARCH64_LIB64), as ldconfig writes them there; this x86_64 machine's ldconfig cannot.
     */
    @Test
    void findsTheDriverOfAnArm64HostAndNo32BitLibraries(@TempDir Path arm) throws Exception {
        Path armRoot = new StubDriverRoot(arm.resolve("host")).build().root();
        Path cacheFile = armRoot.resolve("etc/ld.so.cache");
        ByteBuffer cache = ByteBuffer.wrap(Files.readAllBytes(cacheFile)).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals("glibc-ld.so.cache1.1", new String(cache.array(), 0, 20, StandardCharsets.US_ASCII), "the new format only");
        int entries = cache.getInt(20);
        int flagged = 0;
        for (int i = 0; i < entries; i++) {
            int at = 48 + 24 * i;
            if (cache.getInt(at) == 0x0303) {
                cache.putInt(at, 0x0a03);
                flagged++;
            }
        }
        assertTrue(flagged > 4, "x86-64 entries flagged as AArch64: " + flagged);
        Files.write(cacheFile, cache.array());

        DriverCatalog arm64 = new DriverCatalog(HostRoots.under(armRoot), Map.of(), LibraryArch.AARCH64);
        assertEquals(VERSION, arm64.installedLibraryVersion());
        List<DriverFile> files = arm64.find(Capability.parse("compute,utility,compat32"), VERSION);
        assertEquals(names(catalog.find(Capability.parse("compute,utility"), VERSION), FileKind.LIB64), names(files, FileKind.LIB64));
        assertEquals(List.of(), names(files, FileKind.LIB32), "NVIDIA ships no 32-bit libraries for arm64");

        DriverNotFoundException e = assertThrows(DriverNotFoundException.class,
                () -> new DriverCatalog(HostRoots.under(armRoot), Map.of(), LibraryArch.X86_64).nvmlLibrary());
        assertTrue(e.getMessage().startsWith("no NVIDIA driver found: libnvidia-ml.so.1 for x86_64 is not in"), e.getMessage());
    }

    @Test
    void theHostsAbiComesFromTheJvmOrIsRefused() {
        assertEquals(LibraryArch.X86_64, LibraryArch.host(), "this build machine is x86_64");
        assertEquals(Optional.of(LibraryArch.I386), LibraryArch.X86_64.compat32());
        assertEquals(Optional.empty(), LibraryArch.AARCH64.compat32());
        assertTrue(LibraryArch.AARCH64.accepts(0x0a03) && !LibraryArch.X86_64.accepts(0x0a03) && !LibraryArch.AARCH64.accepts(0x0303));
    }

    @Test
    void saysNoDriverWhenTheCacheIsMissing(@TempDir Path empty) {
        DriverNotFoundException e = assertThrows(DriverNotFoundException.class,
                () -> new DriverCatalog(HostRoots.under(empty), Map.of()).find(Set.of(Capability.UTILITY), VERSION));
        assertTrue(e.getMessage().startsWith("no NVIDIA driver found: " + empty.resolve("etc/ld.so.cache")
                + " does not exist"), e.getMessage());
    }

    @Test
    void reportsADamagedDriverLibraryByName(@TempDir Path broken) throws Exception {
        Path lib = broken.resolve(LIB64).resolve("libnvidia-ml.so." + VERSION);
        Files.createDirectories(lib.getParent());
        Files.copy(lib64("libnvidia-ml.so." + VERSION), lib);
        Files.createDirectories(broken.resolve("etc"));
        Files.writeString(broken.resolve("etc/ld.so.conf"), "/" + LIB64 + "\n");
        HostTools.run("ldconfig", "-r", broken.toString());
        Files.write(lib, new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1});
        DriverDiscoveryException e = assertThrows(DriverDiscoveryException.class,
                () -> new DriverCatalog(HostRoots.under(broken), Map.of()).find(Set.of(Capability.UTILITY), VERSION));
        assertTrue(e.getMessage().startsWith(lib + " is not a usable ELF file: truncated"), e.getMessage());
    }

    @Test
    void parsesCapabilityLists() {
        assertEquals(EnumSet.allOf(Capability.class), Capability.parse("all"));
        assertEquals(EnumSet.of(Capability.COMPUTE, Capability.UTILITY), Capability.parse(" compute , UTILITY"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Capability.parse("compute,gpu"));
        assertTrue(e.getMessage().startsWith("unknown driver capability \"gpu\""), e.getMessage());
    }
}
