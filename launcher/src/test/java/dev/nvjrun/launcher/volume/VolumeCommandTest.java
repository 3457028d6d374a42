package dev.nvjrun.launcher.volume;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nvjrun.fakegpu.FakeGpuHost;
import dev.nvjrun.fakegpu.HostSpec;
import dev.nvjrun.launcher.CommandLineTest;
import dev.nvjrun.launcher.CommandLineTest.Run;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code nvjrun volume ls|inspect|create|rm} against a simulated host, through the real CLI entry point. */
class VolumeCommandTest {

    @TempDir
    static Path shared;
    static FakeGpuHost host;
    static String version;
    @TempDir
    Path volumes;

    @BeforeAll
    static void createHost() throws Exception {
        host = FakeGpuHost.create(shared.resolve("host"), HostSpec.defaults());
        version = host.spec().driverVersion();
    }

    private Run volume(String... args) {
        List<String> all = new ArrayList<>(List.of("--driver-root", host.root().toString(),
                "--dev-root", host.root().toString(), "--proc-root", host.procRoot().toString(),
                "volume", "-d", volumes.toString()));
        all.addAll(List.of(args));
        return CommandLineTest.run(all.toArray(String[]::new));
    }

    @Test
    void createBuildsTheRunningDriversVolumeThatLsAndInspectShow() throws Exception {
        Run created = volume("create");
        assertEquals(0, created.status(), created.err());
        assertEquals("nvidia_driver_" + version + "\n", created.out());

        Path dir = volumes.resolve("nvidia_driver").resolve(version);
        assertTrue(Files.isSymbolicLink(dir.resolve("lib64/libcuda.so.1")));
        assertTrue(Files.isRegularFile(dir.resolve("lib64/libnvidia-ml.so." + version)));
        assertTrue(Files.isRegularFile(dir.resolve("bin/nvidia-smi")));

        Run ls = volume("ls");
        assertEquals(0, ls.status(), ls.err());
        assertEquals(List.of("DRIVER          VOLUME NAME", "nvidia-docker   nvidia_driver_" + version), ls.out().lines().toList());
        assertEquals("nvidia_driver_" + version + "\n", volume("ls", "-q").out());

        Run inspect = volume("inspect", "nvidia_driver_" + version);
        assertEquals(0, inspect.status(), inspect.err());
        JsonNode entry = new ObjectMapper().readTree(inspect.out()).get(0);
        assertEquals("nvidia_driver_" + version, entry.path("Name").asText());
        assertEquals("nvidia-docker", entry.path("Driver").asText());
        assertEquals(dir.toString(), entry.path("Mountpoint").asText());
        assertTrue(entry.path("Files").path("lib64").toString().contains("\"libcuda.so\""), inspect.out());
    }

    @Test
    void createIsIdempotentAndRmRemovesTheVolume() {
        assertEquals(0, volume("create", "nvidia_driver_" + version).status());
        assertEquals(0, volume("create").status(), "a second create keeps the complete volume");

        Run rm = volume("rm", "nvidia_driver_" + version);

        assertEquals(0, rm.status(), rm.err());
        assertEquals("nvidia_driver_" + version + "\n", rm.out());
        assertFalse(Files.exists(volumes.resolve("nvidia_driver").resolve(version)));
        assertEquals("", volume("ls", "-q").out());
    }

    @Test
    void refusesAnotherDriversVersionAndLeavesNothing() throws Exception {
        Run r = volume("create", "nvidia_driver_470.239.06");
        assertEquals(125, r.status());
        assertEquals("nvjrun: cannot create nvidia_driver_470.239.06: the host driver is version " + version
                + ", and a volume holds only the installed driver's files. Create nvidia_driver_" + version + " instead\n", r.err());
        assertTrue(isEmpty(volumes));
    }

    @Test
    void refusesMalformedAndUnknownNames() throws Exception {
        for (String[] args : new String[][]{{"create", "../../etc_1.0"}, {"create", "nvidia_driver"},
                {"create", "other_" + version}, {"rm", "nvidia_driver_1.2"}, {"inspect", "nvidia_driver_1.2"},
                {"rm", "nvidia_driver_1/../x"}}) {
            Run r = volume(args);
            assertEquals(125, r.status(), String.join(" ", args));
            assertTrue(r.err().startsWith("nvjrun: "), r.err());
            assertEquals(1, r.err().lines().count(), "one sentence: " + r.err());
        }
        assertTrue(isEmpty(volumes));
    }

    @Test
    void rmChecksEveryNameBeforeRemovingAny() {
        assertEquals(0, volume("create").status());
        Run r = volume("rm", "nvidia_driver_" + version, "nvidia_driver_9.9");
        assertEquals(125, r.status());
        assertTrue(r.err().contains("no such volume: nvidia_driver_9.9"), r.err());
        assertTrue(Files.isDirectory(volumes.resolve("nvidia_driver").resolve(version)), "the first one is still there");
    }

    @Test
    void createWithoutADriverNamesTheFix() throws Exception {
        Path empty = Files.createDirectories(shared.resolve("no-driver/etc")).getParent();
        Run r = CommandLineTest.run("--driver-root", empty.toString(), "volume", "-d", volumes.toString(), "create");
        assertEquals(125, r.status());
        assertTrue(r.err().startsWith("nvjrun: no NVIDIA driver found"), r.err());
        assertTrue(isEmpty(volumes));
    }

    @Test
    void volumeAloneAsksForACommand() {
        Run r = CommandLineTest.run("volume");
        assertEquals(125, r.status());
        assertTrue(r.err().contains("a volume command is required: ls, inspect, create or rm"), r.err());
    }

    private static boolean isEmpty(Path dir) throws Exception {
        if (!Files.exists(dir)) {
            return true;
        }
        try (Stream<Path> entries = Files.walk(dir)) {
            return entries.filter(p -> !p.equals(dir)).allMatch(Files::isDirectory);
        }
    }
}
