package dev.nvjrun.launcher.gpu;

import dev.nvjrun.driver.catalog.RootedPath;
import dev.nvjrun.driver.edits.ContainerEdits;
import dev.nvjrun.driver.edits.ContainerFile;
import dev.nvjrun.driver.edits.LdconfigRun;
import dev.nvjrun.driver.edits.Mount;
import dev.nvjrun.driver.edits.Symlink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The host-side preparation of a GPU container's root; the real ldconfig over it is GpuContainersTest's and runtime-core's. */
class DriverFilesInRootfsTest {
    private static final String LIB = "/usr/local/nvidia/lib64/libnvjrun-test.so.1.0";

    @TempDir
    Path tmp;

    private ContainerEdits edits(Path hostLibrary, Optional<LdconfigRun> ldconfig) {
        return new ContainerEdits(List.of(), List.of(new Mount.Bind(hostLibrary, LIB, true)),
                List.of(new Symlink("/usr/local/nvidia/lib64/libnvjrun-test.so.1", "libnvjrun-test.so.1.0")),
                Map.of(), List.of(), List.of(new ContainerFile("/etc/ld.so.conf.d/000-nvjrun-nvidia.conf", "/usr/local/nvidia/lib64\n")),
                ldconfig);
    }

    /** A real shared object with a SONAME, as ldconfig wants one: the host's libc serves. */
    private Path hostLibrary() throws IOException {
        Path lib = Files.createDirectories(tmp.resolve("driver")).resolve("libnvjrun-test.so.1.0");
        Files.copy(Path.of("/lib/x86_64-linux-gnu/libc.so.6"), lib);
        return lib;
    }

    private static boolean mountedUnder(Path dir) throws IOException {
        return Files.readString(Path.of("/proc/self/mountinfo")).contains(dir.toString());
    }

    @Test
    void writesTheLinksAndTheConfEntryAndLeavesTheMountsToTheHelper() throws IOException {
        Path rootfs = Files.createDirectories(tmp.resolve("rootfs"));
        new DriverFilesInRootfs(edits(hostLibrary(), LdconfigRun.onHost())).install(rootfs);
        assertEquals("libnvjrun-test.so.1.0", Files.readSymbolicLink(rootfs.resolve("usr/local/nvidia/lib64/libnvjrun-test.so.1")).toString());
        assertEquals("/usr/local/nvidia/lib64\n", Files.readString(rootfs.resolve("etc/ld.so.conf.d/000-nvjrun-nvidia.conf")));
        assertFalse(Files.exists(rootfs.resolve(LIB.substring(1))), "the helper makes the mount point when it mounts the library");
        assertFalse(Files.exists(rootfs.resolve("etc/ld.so.cache")), "ldconfig runs at start, once the library is mounted");
        assertFalse(mountedUnder(rootfs));
    }

    @Test
    void theLdconfigCommandCoversTheLibraryDirectoriesOnlyWhenThereAreLibraries() throws IOException {
        Path rootfs = tmp.resolve("rootfs");
        LdconfigRun ldconfig = new LdconfigRun(Path.of("/sbin/ldconfig"));
        Path library = hostLibrary();
        assertEquals(List.of("/sbin/ldconfig", "-r", rootfs.toString(), "/usr/local/nvidia/lib64"),
                new DriverFilesInRootfs(edits(library, Optional.of(ldconfig))).ldconfigCommand(rootfs));
        assertEquals(List.of(), new DriverFilesInRootfs(edits(library, Optional.empty())).ldconfigCommand(rootfs),
                "a host without ldconfig: the links alone");
        ContainerEdits firmwareOnly = new ContainerEdits(List.of(),
                List.of(new Mount.Bind(library, "/lib/firmware/nvidia/gsp.bin", true)), List.of(), Map.of(), List.of(), List.of(),
                Optional.of(ldconfig));
        assertEquals(List.of(), new DriverFilesInRootfs(firmwareOnly).ldconfigCommand(rootfs));
        ContainerEdits volume = new ContainerEdits(List.of(), List.of(new Mount.DriverVolume("nvidia_driver_1", tmp, "/usr/local/nvidia")),
                List.of(), Map.of(), List.of(), List.of(), Optional.of(ldconfig));
        assertEquals(List.of("/sbin/ldconfig", "-r", rootfs.toString(), "/usr/local/nvidia/lib64", "/usr/local/nvidia/lib"),
                new DriverFilesInRootfs(volume).ldconfigCommand(rootfs));
    }

    @Test
    void theImagesLinksAreFollowedInsideItsRootOnly() throws IOException {
        Path rootfs = Files.createDirectories(tmp.resolve("rootfs"));
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        // An image whose /usr points out of the root, as a hostile image could.
        Files.createSymbolicLink(rootfs.resolve("usr"), Path.of("/../../../../" + outside));
        new DriverFilesInRootfs(edits(hostLibrary(), Optional.empty())).install(rootfs);
        try (var inOutside = Files.list(outside)) {
            assertEquals(0, inOutside.count(), "nothing may be written outside the container's root");
        }
        assertTrue(Files.isSymbolicLink(rootfs.resolve(outside.toString().substring(1)).resolve("local/nvidia/lib64/libnvjrun-test.so.1")));
    }

    @Test
    void rootfsPathFollowsRelativeAndAbsoluteLinksLikeAChroot() throws IOException {
        Path rootfs = Files.createDirectories(tmp.resolve("rootfs"));
        Files.createDirectories(rootfs.resolve("usr/lib"));
        Files.createSymbolicLink(rootfs.resolve("lib"), Path.of("usr/lib"));
        Files.createSymbolicLink(rootfs.resolve("usr/lib/firmware"), Path.of("/opt/fw"));
        assertEquals(rootfs.resolve("opt/fw/nvidia/gsp.bin"), RootedPath.resolveForWriting(rootfs, "/lib/firmware/nvidia/gsp.bin"));
        assertEquals(rootfs.resolve("etc"), RootedPath.resolveForWriting(rootfs, "/../../etc"));
        Files.createSymbolicLink(rootfs.resolve("loop"), Path.of("/loop"));
        assertThrows(IOException.class, () -> RootedPath.resolveForWriting(rootfs, "/loop/x"));
    }
}
