package dev.nvjrun.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nvjrun.fakegpu.FakeGpu;
import dev.nvjrun.fakegpu.FakeGpuHost;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The foundation's promise, with the packaged binaries: create a simulated host with
 * nvjrun-fakegpu, source its nvjrun.env, and nvjrun sees exactly that host.
 */
class SimulatedHostTest {
    @TempDir
    static Path tmp;
    static Distribution dist;
    static Path hostDir;
    static FakeGpuHost host;

    @BeforeAll
    static void createHost() throws Exception {
        dist = Distribution.installed();
        hostDir = tmp.resolve("host");
        Distribution.Result r = dist.sh("nvjrun-fakegpu create " + hostDir + " --gpus 3");
        assertEquals(0, r.status(), r.err());
        host = FakeGpuHost.open(hostDir);
    }

    private Distribution.Result onHost(String command) throws Exception {
        return dist.sh(". " + hostDir.resolve("nvjrun.env") + " && " + command);
    }

    @Test
    void gpuInfoJsonListsTheDescribedDevices() throws Exception {
        Distribution.Result r = onHost("nvjrun gpu info --json");
        assertEquals(0, r.status(), r.err());
        JsonNode devices = new ObjectMapper().readTree(r.out()).path("Devices");
        List<FakeGpu> gpus = host.gpus();
        assertEquals(3, devices.size());
        for (FakeGpu gpu : gpus) {
            JsonNode d = devices.get(gpu.index());
            assertEquals(gpu.uuid(), d.path("UUID").asText());
            assertEquals("/dev/nvidia" + gpu.minor(), d.path("Path").asText());
            assertEquals(gpu.pciBusId(), d.path("PCI").path("BusID").asText());
        }
    }

    @Test
    void driverListFindsTheDriverAndLeavesOutForeignGl() throws Exception {
        Distribution.Result r = onHost("nvjrun driver list --json");
        assertEquals(0, r.status(), r.err());
        String v = host.spec().driverVersion();
        List<String> paths = new ObjectMapper().readTree(r.out()).findValuesAsText("path");
        assertTrue(paths.stream().anyMatch(p -> p.endsWith("libcuda.so." + v)), paths.toString());
        assertTrue(paths.stream().anyMatch(p -> p.endsWith("libnvidia-ml.so." + v)), paths.toString());
        assertTrue(paths.stream().noneMatch(p -> p.contains("mesa") || p.endsWith("libGL.so.1.7.0")), paths.toString());
    }

    @Test
    void ldcacheIsLdconfigByteForByte() throws Exception {
        Path cache = hostDir.resolve("etc/ld.so.cache");
        Distribution.Result ours = dist.sh("nvjrun driver ldcache --file " + cache + " | sha256sum");
        Distribution.Result theirs = dist.sh("ldconfig -p -C " + cache + " | sha256sum");
        assertEquals(theirs.out(), ours.out());
        // The real host's own cache, through the default driver root.
        Distribution.Result system = dist.sh("[ \"$(nvjrun driver ldcache | sha256sum)\" = \"$(ldconfig -p | sha256sum)\" ]");
        assertEquals(0, system.status(), system.out() + system.err());
    }

    @Test
    void versionAndHelpWork() throws Exception {
        Distribution.Result r = dist.sh("nvjrun version && nvjrun --help");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().startsWith("nvjrun version "), r.out());
        assertTrue(r.out().contains("gpu"), r.out());
    }

    @Test
    void aMissingDriverIsExit125WithOneSentence() throws Exception {
        Path empty = Files.createDirectories(tmp.resolve("no-driver/etc"));
        Distribution.Result r = dist.sh("nvjrun --driver-root " + empty.getParent() + " gpu info");
        assertEquals(125, r.status());
        assertTrue(r.err().startsWith("nvjrun: no NVIDIA driver found"), r.err());
        assertFalse(r.err().contains("Exception"), r.err());
    }
}
