package dev.nvjrun.plugin.volume;

import dev.nvjrun.plugin.host.VolumeDir;
import dev.nvjrun.plugin.host.VolumeFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A creator killed mid-build must leave nothing that looks like a volume, and nothing forever. */
class CrashSafetyTest {

    @TempDir
    Path tmp;

    @Test
    void aCreatorKilledMidwayLeavesNoVolumeAndItsLeftoversAreClearedLater() throws Exception {
        Path volumes = tmp.resolve("volumes");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), CrashingCreateMain.class.getName(), volumes.toString()));
        List<VolumeFile> files = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Path file = Files.writeString(tmp.resolve("libnvidia-part" + i + ".so.535.104.05"), "part " + i);
            command.add(file.toString());
            files.add(new VolumeFile(file, VolumeDir.LIB64, null));
        }
        Process creator = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertTrue(creator.waitFor(60, TimeUnit.SECONDS));
        assertEquals(137, creator.exitValue(), new String(creator.getInputStream().readAllBytes()));

        VolumeStore store = new VolumeStore(volumes);
        assertFalse(Files.exists(volumes.resolve("nvidia_driver/535.104.05")), "no half volume under the real name");
        assertEquals(List.of(), store.list());
        List<Path> leftovers = children(volumes.resolve("nvidia_driver"));
        assertEquals(1, leftovers.size());
        assertTrue(leftovers.getFirst().getFileName().toString().startsWith(".building-535.104.05-"));

        store.create(DriverVolume.NVIDIA_DRIVER, "535.104.05", files);
        assertEquals(5, store.entries(store.find(DriverVolume.NVIDIA_DRIVER, "535.104.05").orElseThrow(), VolumeDir.LIB64).size());
        assertTrue(Files.exists(leftovers.getFirst()), "a young leftover may belong to a creator still running");

        Files.setLastModifiedTime(leftovers.getFirst(), FileTime.from(Instant.now().minus(Duration.ofHours(1))));
        store.create(DriverVolume.NVIDIA_DRIVER, "470.82.01", files);
        assertFalse(Files.exists(leftovers.getFirst()), "an old leftover is removed by the next create");
        assertEquals(List.of("nvidia_driver_470.82.01", "nvidia_driver_535.104.05"),
                store.list().stream().map(InstalledVolume::dockerName).toList());
    }

    private static List<Path> children(Path dir) throws Exception {
        try (var entries = Files.list(dir)) {
            return entries.toList();
        }
    }
}
