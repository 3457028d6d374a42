package dev.nvjrun.plugin.volume;

import dev.nvjrun.plugin.host.ElfLibraries;
import dev.nvjrun.plugin.host.VolumeDir;
import dev.nvjrun.plugin.host.VolumeFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VolumeStoreTest {

    private static final String VERSION = "535.104.05";
    private static final DriverVolume DRIVER = DriverVolume.NVIDIA_DRIVER;

    @TempDir
    static Path driverRoot;
    private static List<VolumeFile> files;

    @TempDir
    Path volumes;

    @BeforeAll
    static void buildDriver() throws Exception {
        files = ElfLibraries.driverFiles(driverRoot.resolve("usr/lib/x86_64-linux-gnu"));
    }

    @Test
    void createsVolumeOfHardLinksWithSonameLinks() throws Exception {
        InstalledVolume volume = new VolumeStore(volumes).create(DRIVER, VERSION, files);

        Path lib64 = volumes.resolve("nvidia_driver/535.104.05/lib64");
        assertEquals(lib64.getParent(), volume.path());
        assertEquals("nvidia_driver_535.104.05", volume.dockerName());
        Path cuda = lib64.resolve("libcuda.so.535.104.05");
        assertEquals(inode(files.get(0).source()), inode(cuda), "a hard link shares the driver file's inode");
        assertEquals(Path.of("libcuda.so.535.104.05"), Files.readSymbolicLink(lib64.resolve("libcuda.so.1")));
        assertEquals(Path.of("libcuda.so.535.104.05"), Files.readSymbolicLink(lib64.resolve("libcuda.so")));
        assertEquals(Path.of("libnvidia-ml.so.535.104.05"), Files.readSymbolicLink(lib64.resolve("libnvidia-ml.so.1")));
        assertEquals(Path.of("libGLX_nvidia.so.535.104.05"), Files.readSymbolicLink(lib64.resolve("libGLX_indirect.so.0")));
        assertEquals(Path.of("libGLX_nvidia.so.535.104.05"), Files.readSymbolicLink(lib64.resolve("libGLX_nvidia.so.0")));
        assertFalse(Files.exists(lib64.resolve("libnvidia-ml.so"), LinkOption.NOFOLLOW_LINKS), "only libcuda gets a dev link");
        assertTrue(Files.isSymbolicLink(volumes.resolve("nvidia_driver/535.104.05/lib/libcuda.so.1")));
        assertTrue(Files.isExecutable(volumes.resolve("nvidia_driver/535.104.05/bin/nvidia-smi")));
        assertEquals("libcuda.so.1", ElfLibraries.soname(lib64.resolve("libcuda.so")), "the link resolves to the real library");
    }

    @Test
    void copiesWhenTheDriverIsOnAnotherFileSystem() throws Exception {
        Path shm = Files.createTempDirectory(Path.of("/dev/shm"), "nvjrun-driver");
        try {
            Path library = ElfLibraries.sharedObject(shm, "libnvidia-ptxjitcompiler.so.535.104.05", "libnvidia-ptxjitcompiler.so.1");
            new VolumeStore(volumes).create(DRIVER, VERSION, List.of(new VolumeFile(library, VolumeDir.LIB64, "libnvidia-ptxjitcompiler.so.1")));

            Path copy = volumes.resolve("nvidia_driver/535.104.05/lib64/libnvidia-ptxjitcompiler.so.535.104.05");
            assertNotEquals(Files.getAttribute(library, "unix:dev"), Files.getAttribute(copy, "unix:dev"));
            assertArrayEquals(Files.readAllBytes(library), Files.readAllBytes(copy));
            assertEquals(Files.getPosixFilePermissions(library), Files.getPosixFilePermissions(copy));
            assertTrue(Files.isSymbolicLink(copy.resolveSibling("libnvidia-ptxjitcompiler.so.1")));
        } finally {
            try (var entries = Files.list(shm)) {
                for (Path p : entries.toList()) {
                    Files.delete(p);
                }
            }
            Files.delete(shm);
        }
    }

    @Test
    void leavesNothingWhenAFileFailsMidway() throws Exception {
        AtomicInteger placed = new AtomicInteger();
        FileCloner failsOnThird = (source, target) -> {
            if (placed.incrementAndGet() == 3) {
                throw new IOException("No space left on device");
            }
            FileCloner.linkOrCopy().cloneFile(source, target);
        };
        VolumeException e = assertThrows(VolumeException.class,
                () -> new VolumeStore(volumes, failsOnThird).create(DRIVER, VERSION, files));

        assertTrue(e.getMessage().contains("nvidia_driver_535.104.05") && e.getMessage().contains("No space left"), e.getMessage());
        assertEquals(List.of(), children(volumes.resolve("nvidia_driver")), "no version and no build directory is left");
        assertEquals(List.of(), new VolumeStore(volumes).list());
    }

    @Test
    void leavesNothingWhenADriverFileIsMissing() throws Exception {
        List<VolumeFile> withMissing = new ArrayList<>(files);
        withMissing.add(new VolumeFile(driverRoot.resolve("libnvidia-gone.so.535.104.05"), VolumeDir.LIB64, "libnvidia-gone.so.1"));

        VolumeException e = assertThrows(VolumeException.class, () -> new VolumeStore(volumes).create(DRIVER, VERSION, withMissing));

        assertTrue(e.getMessage().contains("libnvidia-gone.so.535.104.05"), e.getMessage());
        assertEquals(List.of(), children(volumes.resolve("nvidia_driver")));
    }

    @Test
    void refusesSonameThatIsAPath() throws Exception {
        List<VolumeFile> evil = List.of(new VolumeFile(files.get(0).source(), VolumeDir.LIB64, "../../escape.so"));

        assertThrows(VolumeException.class, () -> new VolumeStore(volumes).create(DRIVER, VERSION, evil));

        assertEquals(List.of(), children(volumes.resolve("nvidia_driver")));
        assertFalse(Files.exists(volumes.resolve("escape.so"), LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void refusesVersionsThatAreNotPlainVersionNumbers() {
        VolumeStore store = new VolumeStore(volumes);
        for (String bad : new String[]{"..", ".", "", "1..2", "../../etc", "535.104.05/..", "1.", null}) {
            VolumeException e = assertThrows(VolumeException.class, () -> store.create(DRIVER, bad, files), String.valueOf(bad));
            assertTrue(e.getMessage().contains("invalid driver version"), e.getMessage());
            assertThrows(VolumeException.class, () -> store.remove(DRIVER, bad));
        }
        assertFalse(Files.exists(volumes.resolve("nvidia_driver")));
    }

    @Test
    void concurrentCreatesEndWithOneCompleteVolume() throws Exception {
        VolumeStore store = new VolumeStore(volumes);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<InstalledVolume>> creators = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                creators.add(() -> store.create(DRIVER, VERSION, files));
            }
            for (Future<InstalledVolume> result : pool.invokeAll(creators)) {
                assertEquals(volumes.resolve("nvidia_driver/535.104.05"), result.get().path());
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(List.of("535.104.05"), children(volumes.resolve("nvidia_driver")));
        assertEquals(List.of("libGLX_indirect.so.0", "libGLX_nvidia.so.0", "libGLX_nvidia.so.535.104.05", "libcuda.so",
                        "libcuda.so.1", "libcuda.so.535.104.05", "libnvidia-ml.so.1", "libnvidia-ml.so.535.104.05"),
                store.entries(store.find(DRIVER, VERSION).orElseThrow(), VolumeDir.LIB64));
    }

    @Test
    void createKeepsAnExistingVolume() throws Exception {
        VolumeStore store = new VolumeStore(volumes);
        InstalledVolume first = store.create(DRIVER, VERSION, files);
        Path marker = Files.createFile(first.path().resolve("bin/marker"));

        InstalledVolume second = store.create(DRIVER, VERSION, List.of());

        assertEquals(first, second);
        assertTrue(Files.exists(marker));
    }

    @Test
    void listsOldVersionsAndIgnoresUnfinishedBuilds() throws Exception {
        VolumeStore store = new VolumeStore(volumes);
        store.create(DRIVER, "470.82.01", files);
        store.create(DRIVER, VERSION, files);
        Files.createDirectories(volumes.resolve("nvidia_driver/.building-550.1-123/lib64"));
        Files.createDirectories(volumes.resolve("nvidia_driver/not-a-version"));
        Files.createFile(volumes.resolve("nvidia_driver/999.1"));

        List<InstalledVolume> listed = store.list();

        assertEquals(List.of("nvidia_driver_470.82.01", "nvidia_driver_535.104.05"),
                listed.stream().map(InstalledVolume::dockerName).toList());
    }

    @Test
    void removesAVolumeAndReportsAMissingOne() throws Exception {
        VolumeStore store = new VolumeStore(volumes);
        store.create(DRIVER, VERSION, files);

        assertTrue(store.remove(DRIVER, VERSION));
        assertFalse(store.remove(DRIVER, VERSION));

        assertEquals(List.of(), children(volumes.resolve("nvidia_driver")));
        assertTrue(Files.exists(files.get(0).source()), "removing a volume never touches the driver");
    }

    @Test
    void explainsAnUnwritableVolumeDirectory() throws Exception {
        Path file = Files.createFile(volumes.resolve("occupied"));

        VolumeException e = assertThrows(VolumeException.class, () -> new VolumeStore(file).create(DRIVER, VERSION, files));

        assertTrue(e.getMessage().contains("--volumes"), e.getMessage());
    }

    private static Object inode(Path path) throws IOException {
        return Files.getAttribute(path, "unix:ino");
    }

    private static List<String> children(Path dir) throws IOException {
        try (var entries = Files.list(dir)) {
            return entries.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
