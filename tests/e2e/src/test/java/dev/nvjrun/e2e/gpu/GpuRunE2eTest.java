package dev.nvjrun.e2e.gpu;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.nvjrun.e2e.Distribution;
import dev.nvjrun.e2e.Distribution.Result;
import java.io.IOException;
import java.util.Map;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged {@code nvjrun run --gpus} on a simulated host made by the packaged
 * {@code nvjrun-fakegpu}, pointed at through its {@code nvjrun.env}, as a user would: the container
 * gets exactly the GPUs asked for (EPERM for the others, ENXIO for its own, as the fake nodes have no
 * driver) and the driver libraries, which the dynamic linker of a glibc image finds.
 */
class GpuRunE2eTest {
    @TempDir
    static Path tmp;
    static Path host;
    static Path state;


    /** Runs a script with build/bin on PATH, a state root of its own and the simulated host's variables. */
    static Result sh(String script) throws IOException, InterruptedException {
        return Distribution.installed().sh((host == null ? "" : ". " + host.resolve("nvjrun.env") + "; ") + script, Map.of("NVJRUN_ROOT", state.toString()));
    }

    @BeforeAll
    static void simulatedHostAndImages() throws Exception {
        if (!Files.isExecutable(Path.of("/bin/busybox"))) {
            throw new IllegalStateException("these tests need /bin/busybox; apt-get install busybox-static");
        }
        state = tmp.resolve("state");
        Result made = sh("nvjrun-fakegpu create " + tmp.resolve("host") + " --gpus 3 >/dev/null");
        assertEquals(0, made.status(), made.err());
        host = tmp.resolve("host");
        Path busybox = tmp.resolve("busybox");
        Path glibc = tmp.resolve("glibc");
        String rootfs = "mkdir -p $R/bin $R/etc $R/tmp $R/dev $R/proc; cp /bin/busybox $R/bin/; "
                + "for a in $(/bin/busybox --list); do [ $a = busybox ] || [ $a = ldconfig ] || ln -s busybox $R/bin/$a; done; "
                + "echo root:x:0:0:root:/root:/bin/sh > $R/etc/passwd; ";
        Result images = sh("set -e; R=" + busybox + "; " + rootfs
                + "tar -C $R -cf " + tmp.resolve("busybox.tar") + " . ; nvjrun import " + tmp.resolve("busybox.tar") + " e2e/busybox >/dev/null; "
                + "R=" + glibc + "; " + rootfs
                + "mkdir -p $R/lib64 $R/lib/x86_64-linux-gnu $R/sbin $R/etc/ld.so.conf.d; "
                + "cp -L /lib64/ld-linux-x86-64.so.2 $R/lib64/; cp -L /lib/x86_64-linux-gnu/libc.so.6 $R/lib/x86_64-linux-gnu/; "
                + "cp -L /sbin/ldconfig $R/sbin/; echo 'include /etc/ld.so.conf.d/*.conf' > $R/etc/ld.so.conf; "
                + "tar -C $R -cf " + tmp.resolve("glibc.tar") + " . ; nvjrun import " + tmp.resolve("glibc.tar") + " e2e/glibc >/dev/null");
        assertEquals(0, images.status(), images.err());
    }

    @AfterAll
    static void removeContainers() throws Exception {
        sh(Distribution.CLEAN_ROOT);
    }

    static int minor(int index) throws Exception {
        Result r = sh("nvjrun gpu info --json");
        assertEquals(0, r.status(), r.err());
        var devices = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.out()).path("Devices");
        String path = devices.get(index).path("Path").asText();
        return Integer.parseInt(path.substring("/dev/nvidia".length()));
    }

    @Test
    void containerSeesExactlyTheRequestedGpus() throws Exception {
        Result r = sh("nvjrun run --rm --network none --gpus '\"device=0,2\"' e2e/busybox ls /dev");
        assertEquals(0, r.status(), r.err());
        List<String> dev = r.out().lines().toList();
        assertTrue(dev.containsAll(List.of("nvidia" + minor(0), "nvidia" + minor(2), "nvidiactl", "nvidia-uvm", "nvidia-uvm-tools")), dev.toString());
        assertFalse(dev.contains("nvidia" + minor(1)), dev.toString());
    }

    @Test
    void deviceCgroupGivesEpermForOtherGpusAndEnxioForItsOwn() throws Exception {
        Result r = sh("nvjrun run --rm --network none --gpus device=0,2 e2e/busybox sh -c 'mknod /tmp/gpu1 c 195 " + minor(1)
                + " && echo mknod-ok; cat /tmp/gpu1; cat /dev/nvidia" + minor(0) + "; true'");
        assertEquals(0, r.status(), r.err());
        assertEquals("mknod-ok\n", r.out());
        assertTrue(r.err().contains("can't open '/tmp/gpu1': Operation not permitted"), r.err());
        assertTrue(r.err().contains("can't open '/dev/nvidia" + minor(0) + "': No such device or address"), r.err());
    }

    @Test
    void glibcImageFindsTheDriverThroughItsOwnLdconfigCache() throws Exception {
        Result r = sh("nvjrun run --rm --network none --gpus all e2e/glibc sh -c 'ls /usr/local/nvidia/lib64; ldconfig -p'");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("libcuda.so.1 (libc6,x86-64) => /usr/local/nvidia/lib64/libcuda.so.1"), r.out());
        assertTrue(r.out().contains("libnvidia-ml.so.1 (libc6,x86-64) => /usr/local/nvidia/lib64/libnvidia-ml.so.1"), r.out());
        assertFalse(r.out().contains("libnvcuvid"), "video only when asked: " + r.out());
        Result video = sh("NVIDIA_DRIVER_CAPABILITIES=video nvjrun run --rm --network none --gpus all -e NVIDIA_DRIVER_CAPABILITIES e2e/busybox ls /usr/local/nvidia/lib64");
        assertEquals(0, video.status(), video.err());
        assertTrue(video.out().contains("libnvcuvid.so."), video.out());
    }

    @Test
    void countRequestsRefuseWhenNotEnoughAreFreeAndGpuPsShowsTheHolder() throws Exception {
        Result held = sh("nvjrun run -d --network none --name e2e-holder --gpus 3 e2e/busybox sleep 60");
        assertEquals(0, held.status(), held.err());
        try {
            Result ps = sh("nvjrun gpu ps");
            assertEquals(0, ps.status(), ps.err());
            assertEquals(4, ps.out().lines().count(), ps.out());
            assertTrue(ps.out().lines().skip(1).allMatch(l -> l.contains("e2e-holder")), ps.out());
            Result refused = sh("nvjrun run --rm --network none --gpus 1 e2e/busybox true");
            assertEquals(125, refused.status(), refused.err());
            assertTrue(refused.err().startsWith("nvjrun: "), refused.err());
            assertEquals(1, refused.err().strip().lines().count(), refused.err());
        } finally {
            sh("nvjrun rm -f e2e-holder");
        }
    }

    /**
     * Count requests started at the same moment, as separate processes: choosing GPUs and recording
     * the choice in the container's state happen under one lock, so no two containers get the same GPU.
     */
    @Test
    void countRequestsStartedTogetherGetDistinctGpus() throws Exception {
        Path four = tmp.resolve("host4");
        Result made = sh("nvjrun-fakegpu create " + four + " --gpus 4 >/dev/null");
        assertEquals(0, made.status(), made.err());
        String onFour = ". " + four.resolve("nvjrun.env") + "; ";
        try {
            Result started = sh(onFour + "pids=; for i in 1 2 3 4; do "
                    + "nvjrun run -d --network none --name e2e-together$i --gpus 1 e2e/busybox sleep 60 >/dev/null 2>" + tmp + "/together$i.err & "
                    + "pids=\"$pids $!\"; done; s=0; for p in $pids; do wait $p || s=1; done; cat " + tmp + "/together*.err >&2; exit $s");
            assertEquals(0, started.status(), started.err());
            Result ps = sh(onFour + "nvjrun gpu ps");
            assertEquals(0, ps.status(), ps.err());
            List<String[]> rows = ps.out().lines().skip(1).map(l -> l.split("\\s+")).toList();
            assertEquals(4, rows.size(), ps.out());
            assertEquals(4, rows.stream().map(f -> f[3]).distinct().count(), "four different GPUs: " + ps.out());
            assertEquals(4, rows.stream().map(f -> f[1]).distinct().count(), "one each: " + ps.out());

            Result fifth = sh(onFour + "nvjrun run -d --network none --gpus 1 e2e/busybox sleep 60");
            assertEquals(125, fifth.status(), fifth.err());
            assertTrue(fifth.err().startsWith("nvjrun: cannot give 1 GPUs: only 0 of this host's 4 are free"), fifth.err());
        } finally {
            sh("for i in 1 2 3 4; do nvjrun rm -f e2e-together$i; done");
        }
    }
}
