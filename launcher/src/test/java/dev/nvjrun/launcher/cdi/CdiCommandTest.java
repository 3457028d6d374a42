package dev.nvjrun.launcher.cdi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nvjrun.fakegpu.FakeGpu;
import dev.nvjrun.fakegpu.FakeGpuHost;
import dev.nvjrun.fakegpu.HostSpec;
import dev.nvjrun.launcher.CommandLineTest;
import dev.nvjrun.launcher.CommandLineTest.Run;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code nvjrun cdi generate|list} against a simulated 3-GPU host, through the real CLI entry point (as root: mknod). */
class CdiCommandTest {
    @TempDir
    static Path dir;
    static FakeGpuHost host;
    static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void createHost() throws Exception {
        host = FakeGpuHost.create(dir.resolve("host"), HostSpec.defaults().withGpus(3));
    }

    static Run on(FakeGpuHost h, String... args) {
        List<String> all = new ArrayList<>(List.of("--driver-root", h.root().toString(),
                "--dev-root", h.root().toString(), "--proc-root", h.procRoot().toString()));
        all.addAll(List.of(args));
        return CommandLineTest.run(all.toArray(String[]::new));
    }

    /** major:minor of a node as stat reports it, read independently of nvjrun's own code. */
    static String numbers(Path node) throws Exception {
        long rdev = (Long) Files.getAttribute(node, "unix:rdev");
        return ((rdev >> 8) & 0xfff) + ":" + ((rdev & 0xff) | ((rdev >> 12) & ~0xffL));
    }

    @Test
    void devicesAreTheHostsGpusByIndexAndUuidPlusAll() throws Exception {
        Run r = on(host, "cdi", "generate");
        assertEquals(0, r.status(), r.err());
        JsonNode spec = JSON.readTree(r.out());
        assertEquals("0.5.0", spec.path("cdiVersion").asText());
        assertEquals("nvidia.com/gpu", spec.path("kind").asText());
        JsonNode devices = spec.path("devices");
        assertEquals(2 * 3 + 1, devices.size(), r.out());
        List<FakeGpu> gpus = host.gpus();
        for (FakeGpu gpu : gpus) {
            for (JsonNode d : List.of(devices.get(gpu.index()), devices.get(3 + gpu.index()))) {
                JsonNode nodes = d.path("containerEdits").path("deviceNodes");
                assertEquals(1, nodes.size(), d.toString());
                JsonNode node = nodes.get(0);
                Path hostNode = host.root().resolve("dev/nvidia" + gpu.minor());
                assertEquals("/dev/nvidia" + gpu.minor(), node.path("path").asText());
                assertEquals(hostNode.toString(), node.path("hostPath").asText());
                assertEquals(numbers(hostNode), node.path("major").asLong() + ":" + node.path("minor").asLong());
                assertEquals("c", node.path("type").asText());
            }
            assertEquals(Integer.toString(gpu.index()), devices.get(gpu.index()).path("name").asText());
            assertEquals(gpu.uuid(), devices.get(3 + gpu.index()).path("name").asText());
        }
        JsonNode all = devices.get(6);
        assertEquals("all", all.path("name").asText());
        assertEquals(3, all.path("containerEdits").path("deviceNodes").size());
    }

    @Test
    void specWideEditsAreTheControlDevicesAndTheDriverFilesOfDriverList() throws Exception {
        JsonNode edits = JSON.readTree(on(host, "cdi", "generate").out()).path("containerEdits");
        Set<String> control = new HashSet<>();
        for (JsonNode node : edits.path("deviceNodes")) {
            control.add(node.path("path").asText());
            Path hostNode = Path.of(node.path("hostPath").asText());
            assertEquals(numbers(hostNode), node.path("major").asLong() + ":" + node.path("minor").asLong(), node.toString());
        }
        Set<String> expected = new HashSet<>();
        try (Stream<Path> nodes = Files.list(host.root().resolve("dev"))) {
            nodes.map(p -> "/dev/" + p.getFileName()).filter(p -> !p.matches("/dev/nvidia\\d+")).forEach(expected::add);
        }
        assertTrue(expected.contains("/dev/nvidiactl"), expected.toString());
        assertEquals(expected, control);

        Run list = on(host, "driver", "list", "--json");
        assertEquals(0, list.status(), list.err());
        Set<String> driverFiles = new HashSet<>();
        // nvidia-modeset is listed as a driver file of "display"; it is a device node above, not a mount.
        JSON.readTree(list.out()).forEach(f -> {
            if (!f.path("kind").asText().equals("device")) {
                driverFiles.add(f.path("path").asText());
            }
        });
        assertFalse(driverFiles.isEmpty());
        Set<String> mountedFiles = new HashSet<>();
        for (JsonNode mount : edits.path("mounts")) {
            String hostPath = mount.path("hostPath").asText();
            mountedFiles.add(hostPath);
            // At its host path as seen from "/" (the driver root stripped), read-only unless it is the MPS pipe directory.
            String inContainer = mount.path("containerPath").asText();
            assertTrue(inContainer.startsWith("/") && !inContainer.contains(host.root().toString()), mount.toString());
            assertTrue(Files.exists(host.root().resolve(inContainer.substring(1))), mount.toString());
            assertTrue(mount.path("options").toString().contains("\"bind\""), mount.toString());
        }
        assertTrue(mountedFiles.containsAll(driverFiles), "not mounted: " + driverFiles.stream().filter(f -> !mountedFiles.contains(f)).toList());
        assertTrue(edits.path("mounts").toString().contains("/libcuda.so.1\""), "libcuda's SONAME is mounted too");
        assertTrue(edits.path("env").toString().contains("NVIDIA_DRIVER_CAPABILITIES=all"), edits.toString());
    }

    @Test
    void outputIsWrittenAtomicallyAndListedBack() throws Exception {
        Path out = dir.resolve("specs/nvidia.json");
        Files.createDirectories(out.getParent());
        Files.writeString(out, "old");
        Run r = on(host, "cdi", "generate", "--output", out.toString(), "--vendor", "example.dev", "--class", "tpu");
        assertEquals(0, r.status(), r.err());
        assertEquals("example.dev/tpu", JSON.readTree(out.toFile()).path("kind").asText());
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(out)));
        try (Stream<Path> files = Files.list(out.getParent())) {
            assertEquals(List.of(out), files.toList(), "no temporary file is left");
        }
        Run list = CommandLineTest.run("cdi", "list", "--spec-dir", out.getParent().toString());
        assertEquals(0, list.status(), list.err());
        List<String> names = list.out().lines().toList();
        assertEquals(7, names.size(), list.out());
        assertEquals("example.dev/tpu=0", names.get(0));
        assertEquals("example.dev/tpu=" + host.gpus().get(2).uuid(), names.get(5));
        assertEquals("example.dev/tpu=all", names.get(6));
    }

    @Test
    void unwritableOutputFailsWithOneSentenceAndLeavesTheOldFile() throws Exception {
        Path blocker = dir.resolve("a-file");
        Files.writeString(blocker, "x");
        Run r = on(host, "cdi", "generate", "--output", blocker.resolve("nvidia.json").toString());
        assertEquals(125, r.status(), r.out());
        assertTrue(r.err().startsWith("nvjrun: cannot write the CDI spec to " + blocker.resolve("nvidia.json")), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertEquals("x", Files.readString(blocker));
        Run directory = on(host, "cdi", "generate", "--output", dir.toString());
        assertEquals(125, directory.status());
        assertTrue(directory.err().contains(dir + ": it is a directory"), directory.err());
    }

    @Test
    void aHostWithoutGpusIsRefused() throws Exception {
        FakeGpuHost none = FakeGpuHost.create(dir.resolve("none"), HostSpec.defaults().withGpus(0));
        Path out = dir.resolve("none.json");
        Run r = on(none, "cdi", "generate", "--output", out.toString());
        assertEquals(125, r.status(), r.out());
        assertTrue(r.err().contains("no NVIDIA GPUs"), r.err());
        assertFalse(Files.exists(out));
    }

    @Test
    void anUnreadableDriverRootIsRefused() {
        Run r = CommandLineTest.run("--driver-root", dir.resolve("missing").toString(), "--dev-root", host.root().toString(),
                "--proc-root", host.procRoot().toString(), "cdi", "generate");
        assertEquals(125, r.status(), r.out());
        assertEquals("", r.out());
        assertTrue(r.err().startsWith("nvjrun: "), r.err());
    }

    @Test
    void badKindsAndFormatsAndSpecsAreRefused() throws Exception {
        assertTrue(on(host, "cdi", "generate", "--vendor", "-bad").err().contains("invalid CDI vendor"));
        assertTrue(on(host, "cdi", "generate", "--class", "g/pu").err().contains("invalid CDI class"));
        Run yaml = on(host, "cdi", "generate", "--format", "yaml");
        assertEquals(125, yaml.status());
        assertTrue(yaml.err().contains("--format yaml is not supported"), yaml.err());
        Path junk = dir.resolve("junk.json");
        Files.writeString(junk, "{\"cdiVersion\": \"0.5.0\"");
        Run list = CommandLineTest.run("cdi", "list", junk.toString());
        assertEquals(125, list.status());
        assertTrue(list.err().contains(junk + " is not a CDI spec"), list.err());
    }
}
