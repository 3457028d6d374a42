package dev.nvjrun.e2e.cdi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nvjrun.e2e.Distribution;
import dev.nvjrun.e2e.Distribution.Result;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A real CDI consumer: podman runs a container with a GPU of the spec that the packaged
 * {@code nvjrun cdi generate} wrote for a simulated 3-GPU host. Podman 4.3 reads specs only from
 * /etc/cdi and /var/run/cdi (it ignores containers.conf's cdi_spec_dirs: tried), so the
 * spec goes to /var/run/cdi under a vendor unique to this run and is removed afterwards. Podman has
 * its own --root/--runroot under the test's directory and runs runc with cgroupfs, as bench/start.sh.
 */
class PodmanCdiE2eTest {
    static final Path RUN_CDI = Path.of("/var/run/cdi");
    @TempDir
    static Path tmp;
    static String vendor;
    static Path spec;
    static boolean createdRunCdi;

    static Result sh(String script) throws Exception {
        return Distribution.installed().sh(". " + tmp.resolve("host/nvjrun.env") + "; " + script, Map.of());
    }

    static String podman() {
        return "podman --root " + tmp.resolve("podman/root") + " --runroot " + tmp.resolve("podman/run")
                + " --runtime runc --cgroup-manager cgroupfs --events-backend file";
    }

    @BeforeAll
    static void specAndImage() throws Exception {
        assumeTrue(Distribution.installed().sh("command -v podman && command -v runc", Map.of()).status() == 0,
                "podman and runc are not installed (apt-get install podman runc); the CDI peer test needs them");
        Result made = Distribution.installed().sh("nvjrun-fakegpu create " + tmp.resolve("host") + " --gpus 3 >/dev/null", Map.of());
        assertEquals(0, made.status(), made.err());
        vendor = "test-" + UUID.randomUUID().toString().substring(0, 8) + ".nvjrun.dev";
        createdRunCdi = !Files.isDirectory(RUN_CDI);
        spec = RUN_CDI.resolve(vendor + "-gpu.json");
        Result generated = sh("nvjrun cdi generate --vendor " + vendor + " --output " + spec);
        assertEquals(0, generated.status(), generated.err());
        Path rootfs = tmp.resolve("busybox");
        Result image = sh("set -e; R=" + rootfs + "; mkdir -p $R/bin $R/tmp; cp /bin/busybox $R/bin/; "
                + "for a in sh ls cat mknod od head; do ln -s busybox $R/bin/$a; done; "
                + "tar -C $R -cf " + tmp.resolve("busybox.tar") + " .; "
                + podman() + " import " + tmp.resolve("busybox.tar") + " localhost/nvjrun-cdi:e2e >/dev/null");
        assertEquals(0, image.status(), image.err());
    }

    @AfterAll
    static void removeSpec() throws Exception {
        if (spec != null) {
            Files.deleteIfExists(spec);
            if (createdRunCdi) {
                try (var left = Files.list(RUN_CDI)) {
                    if (left.findAny().isEmpty()) {
                        Files.delete(RUN_CDI);
                    }
                }
            }
            Distribution.installed().sh(podman() + " rm -af >/dev/null 2>&1; " + podman() + " system reset -f >/dev/null 2>&1", Map.of());
        }
    }

    static Result podmanRun(String device, String script) throws Exception {
        return sh(podman() + " run --rm --network none --cap-add MKNOD --ulimit nofile=20000:20000 --ulimit nproc=32768:32768 --device "
                + vendor + "/gpu=" + device + " localhost/nvjrun-cdi:e2e sh -c '" + script + "'");
    }

    @Test
    void podmanGivesTheContainerExactlyGpuOneTheControlDevicesAndTheDriver() throws Exception {
        JsonNode cdi = new ObjectMapper().readTree(spec.toFile());
        String gpu1 = cdi.path("devices").get(1).path("containerEdits").path("deviceNodes").get(0).path("path").asText();
        String gpu0 = cdi.path("devices").get(0).path("containerEdits").path("deviceNodes").get(0).path("path").asText();
        String libcuda = null;
        for (JsonNode mount : cdi.path("containerEdits").path("mounts")) {
            if (mount.path("containerPath").asText().endsWith("/libcuda.so.1")) {
                libcuda = mount.path("containerPath").asText();
            }
        }
        assertTrue(libcuda != null, "the spec mounts libcuda.so.1");

        String minor0 = gpu0.substring("/dev/nvidia".length());
        String minor1 = gpu1.substring("/dev/nvidia".length());
        Result r = podmanRun("1", "ls /dev; echo ---; head -c 4 " + libcuda + " | od -c | head -1; "
                + "mknod /tmp/gpu0 c 195 " + minor0 + " && cat /tmp/gpu0; mknod /tmp/gpu1 c 195 " + minor1 + " && cat /tmp/gpu1; true");
        assertEquals(0, r.status(), r.err());
        String[] parts = r.out().split("---\n");
        List<String> dev = parts[0].lines().toList();
        assertTrue(dev.containsAll(List.of(gpu1.substring(5), "nvidiactl", "nvidia-uvm", "nvidia-uvm-tools")), dev.toString());
        assertFalse(dev.contains(gpu0.substring(5)), dev.toString());
        assertTrue(parts[1].contains("177   E   L   F"), "libcuda.so.1 is the driver's ELF file: " + parts[1]);
        // The device cgroup podman built from the spec (mknod itself is allowed for any node, as in
        // Docker): another GPU's numbers cannot be opened, its own can (and the fake node, with no
        // driver behind it, then fails with ENXIO).
        assertTrue(r.err().contains("can't open '/tmp/gpu0': Operation not permitted"), r.err());
        assertTrue(r.err().contains("can't open '/tmp/gpu1': No such device or address"), r.err());
    }

    @Test
    void nvjrunListsTheDevicesPodmanResolves() throws Exception {
        Result listed = sh("nvjrun cdi list --spec-dir " + RUN_CDI + " | grep '^" + vendor + "/'");
        assertEquals(0, listed.status(), listed.err());
        List<String> names = listed.out().lines().toList();
        assertEquals(7, names.size(), listed.out());
        assertEquals(vendor + "/gpu=all", names.get(6));
        Result all = podmanRun("all", "ls /dev");
        assertEquals(0, all.status(), all.err());
        assertTrue(all.out().lines().filter(l -> l.matches("nvidia\\d+")).count() == 3, all.out());
    }
}
