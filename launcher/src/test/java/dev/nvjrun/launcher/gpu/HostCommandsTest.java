package dev.nvjrun.launcher.gpu;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nvjrun.fakegpu.FakeGpu;
import dev.nvjrun.fakegpu.FakeGpuHost;
import dev.nvjrun.fakegpu.Failure;
import dev.nvjrun.fakegpu.HostSpec;
import dev.nvjrun.launcher.CommandLineTest;
import dev.nvjrun.launcher.CommandLineTest.Run;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The gpu and driver commands against a simulated 3-GPU host, through the real CLI entry point. */
class HostCommandsTest {
    @TempDir
    static Path dir;
    static FakeGpuHost host;

    @BeforeAll
    static void createHost() throws Exception {
        host = FakeGpuHost.create(dir.resolve("host"), HostSpec.defaults().withGpus(3));
    }

    @AfterEach
    void clearFailures() throws Exception {
        host.clearFailures();
    }

    static Run onHost(String... args) {
        List<String> all = new ArrayList<>(List.of("--driver-root", host.root().toString(),
                "--dev-root", host.root().toString(), "--proc-root", host.procRoot().toString()));
        all.addAll(List.of(args));
        return CommandLineTest.run(all.toArray(String[]::new));
    }

    @Test
    void gpuInfoJsonListsTheHostsDevices() throws Exception {
        Run r = onHost("gpu", "info", "--json");
        assertEquals(0, r.status(), r.err());
        JsonNode info = new ObjectMapper().readTree(r.out());
        assertEquals(host.spec().driverVersion(), info.path("Version").path("Driver").asText());
        assertEquals("12.4", info.path("Version").path("CUDA").asText());
        JsonNode devices = info.path("Devices");
        assertEquals(3, devices.size());
        for (FakeGpu gpu : host.gpus()) {
            JsonNode d = devices.get(gpu.index());
            assertEquals(gpu.uuid(), d.path("UUID").asText());
            assertEquals("/dev/nvidia" + gpu.minor(), d.path("Path").asText());
            assertEquals(gpu.pciBusId(), d.path("PCI").path("BusID").asText());
        }
    }

    @Test
    void gpuInfoTextShowsEveryDevice() {
        Run r = onHost("gpu", "info");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().strip().startsWith("Driver version:"), r.out());
        for (FakeGpu gpu : host.gpus()) {
            assertTrue(r.out().contains(gpu.uuid()), r.out());
        }
    }

    @Test
    void gpuStatusJsonHasOneEntryPerDevice() throws Exception {
        Run r = onHost("gpu", "status", "--json");
        assertEquals(0, r.status(), r.err());
        assertEquals(3, new ObjectMapper().readTree(r.out()).path("Devices").size());
    }

    @Test
    void nvmlFailureIsOneSentenceAndStatus125() throws Exception {
        host.injectFailure(new Failure.DriverNotLoaded());
        Run r = onHost("gpu", "info");
        assertEquals(125, r.status());
        assertTrue(r.err().startsWith("nvjrun: "), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().toLowerCase().contains("driver"), r.err());
    }

    @Test
    void kernelModuleOfAnotherVersionIsAMismatchWithItsFix() throws Exception {
        Path version = host.procRoot().resolve("driver/nvidia/version");
        String original = Files.readString(version);
        try {
            Files.writeString(version, original.replace(host.spec().driverVersion(), "535.104.05"));
            Run r = onHost("gpu", "info");
            assertEquals(125, r.status());
            assertTrue(r.err().contains("version mismatch"), r.err());
            assertTrue(r.err().contains("535.104.05"), r.err());
            assertTrue(r.err().contains("Reboot"), r.err());
        } finally {
            Files.writeString(version, original);
        }
    }

    @Test
    void debugShowsTheStackTrace() throws Exception {
        host.injectFailure(new Failure.DriverNotLoaded());
        Run r = onHost("--debug", "gpu", "info");
        assertEquals(125, r.status());
        assertTrue(r.err().contains("\tat dev.nvjrun."), r.err());
    }

    @Test
    void noDriverNamesTheCacheAndTheFix(@TempDir Path empty) throws Exception {
        Files.createDirectories(empty.resolve("etc"));
        Run r = CommandLineTest.run("--driver-root", empty.toString(), "gpu", "info");
        assertEquals(125, r.status());
        assertTrue(r.err().contains("no NVIDIA driver found"), r.err());
        assertTrue(r.err().contains("--driver-root"), r.err());
    }

    @Test
    void driverListFindsTheRightVersionAndLeavesOutForeignGl() {
        Run r = onHost("driver", "list");
        assertEquals(0, r.status(), r.err());
        String v = host.spec().driverVersion();
        assertTrue(r.out().contains("libcuda.so." + v), r.out());
        assertTrue(r.out().contains("libnvidia-ml.so." + v), r.out());
        assertFalse(r.out().contains("mesa"), r.out());
        assertFalse(r.out().contains("libGL.so.1.7.0"), r.out());
        assertFalse(r.out().contains("470."), "stale driver files must be left out: " + r.out());
    }

    @Test
    void driverListFiltersByCapability() throws Exception {
        Run r = onHost("driver", "list", "--capabilities", "utility", "--json");
        assertEquals(0, r.status(), r.err());
        JsonNode rows = new ObjectMapper().readTree(r.out());
        assertTrue(rows.size() > 0);
        for (JsonNode row : rows) {
            assertFalse(row.path("path").asText().contains("libcuda"), row.toString());
        }
    }

    @Test
    void unknownCapabilityIsRefused() {
        Run r = onHost("driver", "list", "--capabilities", "compute,warp-drive");
        assertEquals(125, r.status());
        assertTrue(r.err().contains("warp-drive"), r.err());
    }

    @Test
    void ldcacheMatchesLdconfigByteForByte() throws Exception {
        for (Path cache : List.of(host.root().resolve("etc/ld.so.cache"), Path.of("/etc/ld.so.cache"))) {
            var out = new java.io.ByteArrayOutputStream();
            int status = dev.nvjrun.launcher.Main.execute(new String[] {"driver", "ldcache", "--file", cache.toString()},
                    out, new java.io.ByteArrayOutputStream());
            assertEquals(0, status);
            Process p = new ProcessBuilder("ldconfig", "-p", "-C", cache.toString()).redirectErrorStream(true).start();
            byte[] expected = p.getInputStream().readAllBytes();
            assertEquals(0, p.waitFor());
            assertArrayEquals(expected, out.toByteArray(), "ldconfig -p -C " + cache);
        }
    }

    @Test
    void malformedCacheIsAClearError(@TempDir Path tmp) throws Exception {
        Path bad = tmp.resolve("ld.so.cache");
        Files.writeString(bad, "glibc-ld.so.cache1.1 but truncated");
        Run r = CommandLineTest.run("driver", "ldcache", "--file", bad.toString());
        assertEquals(125, r.status());
        assertTrue(r.err().contains(bad.toString()), r.err());
    }
}
