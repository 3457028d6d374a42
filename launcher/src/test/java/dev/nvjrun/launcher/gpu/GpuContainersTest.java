package dev.nvjrun.launcher.gpu;

import dev.nvjrun.fakegpu.FakeGpu;
import dev.nvjrun.fakegpu.FakeGpuHost;
import dev.nvjrun.fakegpu.HostSpec;
import dev.nvjrun.launcher.CommandLineTest.Run;
import dev.nvjrun.launcher.MainAccess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code nvjrun run --gpus} on a simulated 3-GPU host, as root, with real containers: the device
 * cgroup proves which GPUs a container got (a node the cgroup allows opens with ENXIO, as the fake
 * nodes have no driver; any other gives EPERM), and the real ldconfig proves what the dynamic linker sees.
 */
class GpuContainersTest {
    @TempDir
    static Path tmp;
    static Path state;
    static FakeGpuHost host;

    @BeforeAll
    static void createHostAndImages() throws Exception {
        host = FakeGpuHost.create(tmp.resolve("host"), HostSpec.defaults().withGpus(3));
        state = tmp.resolve("state");
        GpuTestImages.importInto(state, tmp);
    }

    @org.junit.jupiter.api.AfterAll
    static void removeTheBridge() {
        dev.nvjrun.launcher.network.ContainerNetworks.forRoot(state).networking().resetHost(); // this test root's default network
    }

    @AfterEach
    void removeContainers() {
        for (String id : nvjrun("ps", "-a", "-q", "--no-trunc").out().lines().toList()) {
            nvjrun("rm", "-f", id);
        }
    }

    static Run nvjrun(String... args) {
        return nvjrunWith(Map.of(), args);
    }

    static Run nvjrunWith(Map<String, String> extraEnv, String... args) {
        return nvjrunOn(host, extraEnv, args);
    }

    static Run nvjrunOn(FakeGpuHost on, Map<String, String> extraEnv, String... args) {
        List<String> all = new ArrayList<>(List.of("--root", state.toString(), "--driver-root", on.root().toString(),
                "--dev-root", on.root().toString(), "--proc-root", on.procRoot().toString()));
        all.addAll(List.of(args));
        Map<String, String> env = new HashMap<>(System.getenv());
        env.remove("NV_GPU");
        env.putAll(extraEnv);
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        int status = MainAccess.execute(all.toArray(String[]::new), out, err, env);
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** What a container wrote: the foreground container's stdio is the JVM's own, so it writes to files of a shared directory. */
    record Shell(int status, String out, String err, String nvjrunErr) {
        List<String> lines() {
            return out.lines().map(String::strip).toList();
        }
    }

    static Shell shell(Map<String, String> env, List<String> runArgs, String image, String script) throws IOException {
        Path share = Files.createTempDirectory(tmp, "share");
        List<String> args = new ArrayList<>(List.of("run", "--rm", "--network", "none", "-v", share + ":/share"));
        args.addAll(runArgs);
        args.addAll(List.of(image, "sh", "-c", "(" + script + ") >/share/out 2>/share/err"));
        Run r = nvjrunWith(env, args.toArray(String[]::new));
        Path out = share.resolve("out");
        Path err = share.resolve("err");
        return new Shell(r.status(), Files.exists(out) ? Files.readString(out) : "", Files.exists(err) ? Files.readString(err) : "", r.err());
    }

    static Shell shell(List<String> runArgs, String image, String script) throws IOException {
        return shell(Map.of(), runArgs, image, script);
    }

    static FakeGpu gpu(int index) {
        return host.gpus().get(index);
    }

    static List<String> lines(Run r) {
        return r.out().lines().map(String::strip).toList();
    }

    @Test
    void deviceListGivesExactlyThoseGpusAndTheControlDevices() throws IOException {
        Shell r = shell(List.of("--gpus", "\"device=0,2\""), GpuTestImages.BUSYBOX, "ls /dev");
        assertEquals(0, r.status(), r.nvjrunErr() + r.err());
        List<String> dev = r.lines();
        for (String node : List.of("nvidia" + gpu(0).minor(), "nvidia" + gpu(2).minor(), "nvidiactl", "nvidia-uvm", "nvidia-uvm-tools")) {
            assertTrue(dev.contains(node), node + " missing: " + dev);
        }
        assertFalse(dev.contains("nvidia" + gpu(1).minor()), "GPU 1 must not be there: " + dev);
        assertFalse(dev.contains("nvidia-modeset"), "nvidia-modeset only comes with display: " + dev);
    }

    @Test
    void deviceCgroupOpensOnlyTheSelectedGpus() throws IOException {
        int other = gpu(1).minor();
        Shell r = shell(List.of("--gpus", "device=0,2"), GpuTestImages.BUSYBOX,
                "mknod /tmp/other c 195 " + other + " && echo mknod-ok; cat /tmp/other; cat /dev/nvidia" + gpu(0).minor()
                        + "; cat /dev/nvidiactl; true");
        assertEquals(0, r.status(), r.nvjrunErr() + r.err());
        assertTrue(r.out().contains("mknod-ok"), r.out() + r.err());
        assertTrue(r.err().contains("can't open '/tmp/other': Operation not permitted"), r.err());
        assertTrue(r.err().contains("can't open '/dev/nvidia" + gpu(0).minor() + "': No such device or address"), r.err());
        assertTrue(r.err().contains("can't open '/dev/nvidiactl': No such device or address"), r.err());
    }

    @Test
    void driverLibrariesAreMountedReadOnlyWithoutVideoUnlessAsked() throws IOException {
        String version = host.spec().driverVersion();
        Shell r = shell(List.of("--gpus", "all"), GpuTestImages.BUSYBOX,
                "ls /usr/local/nvidia/lib64 /usr/local/nvidia/bin; touch /usr/local/nvidia/lib64/libcuda.so." + version + "; true");
        assertEquals(0, r.status(), r.nvjrunErr() + r.err());
        List<String> files = r.lines();
        assertTrue(files.contains("libcuda.so." + version), files.toString());
        assertTrue(files.contains("libcuda.so.1"), files.toString());
        assertTrue(files.contains("libnvidia-ml.so." + version), files.toString());
        assertTrue(files.contains("nvidia-smi"), files.toString());
        assertFalse(files.contains("libnvcuvid.so." + version), "video needs asking for: " + files);
        assertTrue(r.err().contains("Read-only file system"), r.err());
    }

    @Test
    void ldconfigInAGlibcImageResolvesTheDriverLibraries() throws IOException {
        Shell r = shell(List.of("--gpus", "1"), GpuTestImages.GLIBC, "ldconfig -p; cat /etc/ld.so.conf.d/000-nvjrun-nvidia.conf");
        assertEquals(0, r.status(), r.nvjrunErr() + r.err());
        assertTrue(r.out().contains("libcuda.so.1 (libc6,x86-64) => /usr/local/nvidia/lib64/libcuda.so.1"), r.out());
        assertTrue(r.out().contains("libnvidia-ml.so.1 (libc6,x86-64) => /usr/local/nvidia/lib64/libnvidia-ml.so.1"), r.out());
        assertTrue(r.out().contains("libc.so.6 (libc6,x86-64) => /lib/x86_64-linux-gnu/libc.so.6"), "the image's own entries stay: " + r.out());
        assertTrue(r.lines().contains("/usr/local/nvidia/lib64"), r.out());
    }

    @Test
    void videoLibrariesComeWhenTheGpusFlagOrTheEnvironmentAsks() throws IOException {
        String libnvcuvid = "libnvcuvid.so." + host.spec().driverVersion();
        Shell flag = shell(List.of("--gpus", "all,capabilities=video"), GpuTestImages.BUSYBOX, "ls /usr/local/nvidia/lib64; env");
        assertEquals(0, flag.status(), flag.nvjrunErr() + flag.err());
        assertTrue(flag.lines().contains(libnvcuvid), flag.out());
        assertTrue(flag.lines().contains("NVIDIA_DRIVER_CAPABILITIES=video"), flag.out());
        Shell env = shell(List.of("--gpus", "all", "-e", "NVIDIA_DRIVER_CAPABILITIES=video,compute"), GpuTestImages.BUSYBOX,
                "ls /usr/local/nvidia/lib64");
        assertEquals(0, env.status(), env.nvjrunErr() + env.err());
        assertTrue(env.lines().contains(libnvcuvid), env.out());
        assertTrue(env.lines().contains("libcuda.so." + host.spec().driverVersion()), env.out());
    }

    @Test
    void environmentNamesTheGivenGpusByUuidAndPutsTheDriverBinariesOnPath() throws IOException {
        Shell r = shell(List.of("--gpus", "device=2,0"), GpuTestImages.BUSYBOX, "env; which nvidia-smi");
        assertEquals(0, r.status(), r.nvjrunErr() + r.err());
        assertTrue(r.lines().contains("NVIDIA_VISIBLE_DEVICES=" + gpu(2).uuid() + "," + gpu(0).uuid()), r.out());
        assertTrue(r.lines().contains("NVIDIA_DRIVER_CAPABILITIES=compute,utility")
                || r.lines().contains("NVIDIA_DRIVER_CAPABILITIES=utility,compute"), r.out());
        assertTrue(r.lines().contains("/usr/local/nvidia/bin/nvidia-smi"), r.out());
    }

    @Test
    void nvGpuFromNvjrunsEnvironmentSelectsAsNvidiaDocker1Did() throws IOException {
        Shell r = shell(Map.of("NV_GPU", gpu(1).uuid().substring(0, 12)), List.of(), GpuTestImages.BUSYBOX, "ls /dev");
        assertEquals(0, r.status(), r.nvjrunErr() + r.err());
        assertTrue(r.lines().contains("nvidia" + gpu(1).minor()), r.out());
        assertFalse(r.lines().contains("nvidia" + gpu(0).minor()), r.out());
        Shell flagWins = shell(Map.of("NV_GPU", "1"), List.of("--gpus", "device=0"), GpuTestImages.BUSYBOX, "ls /dev");
        assertTrue(flagWins.lines().contains("nvidia" + gpu(0).minor()), flagWins.out());
        assertFalse(flagWins.lines().contains("nvidia" + gpu(1).minor()), flagWins.out());
    }

    @Test
    void userEnvironmentMakesAGpuContainerWithoutTheFlag() throws IOException {
        Shell r = shell(List.of("-e", "NVIDIA_VISIBLE_DEVICES=2"), GpuTestImages.BUSYBOX, "ls /dev");
        assertEquals(0, r.status(), r.nvjrunErr() + r.err());
        assertTrue(r.lines().contains("nvidia" + gpu(2).minor()), r.out());
        assertFalse(r.lines().contains("nvidia" + gpu(0).minor()), r.out());
    }

    @Test
    void aPlainContainerNeverLoadsTheDriver() throws IOException {
        Path share = Files.createTempDirectory(tmp, "share");
        // No driver at all: a container that asks for no GPU must not notice.
        Run r = MainAccessRun.run("--root", state.toString(), "--driver-root", tmp.resolve("no-driver").toString(),
                "run", "--rm", "--network", "none", "-v", share + ":/share", GpuTestImages.BUSYBOX, "sh", "-c", "ls /dev > /share/out");
        assertEquals(0, r.status(), r.err());
        assertFalse(Files.readString(share.resolve("out")).contains("nvidia"));
        Run gpu = MainAccessRun.run("--root", state.toString(), "--driver-root", tmp.resolve("no-driver").toString(),
                "run", "--rm", "--network", "none", "--gpus", "all", GpuTestImages.BUSYBOX, "true");
        assertEquals(125, gpu.status(), gpu.err());
        assertTrue(gpu.err().startsWith("nvjrun: "), gpu.err());
    }

    @Test
    void countRequestsSkipHeldGpusAndGpuPsShowsTheHolders() throws IOException {
        Run held = nvjrun("run", "-d", "--network", "none", "--name", "holder", "--gpus", "2", GpuTestImages.BUSYBOX, "sleep", "60");
        assertEquals(0, held.status(), held.err());
        Run ps = nvjrun("gpu", "ps");
        assertEquals(0, ps.status(), ps.err());
        List<String> rows = ps.out().lines().toList();
        assertTrue(rows.getFirst().startsWith("CONTAINER ID"), ps.out());
        assertEquals(3, rows.size(), ps.out());
        List<String> heldUuids = rows.stream().skip(1).map(l -> l.split("\\s+")).peek(f -> assertEquals("holder", f[1]))
                .map(f -> f[3]).toList();
        FakeGpu free = host.gpus().stream().filter(g -> !heldUuids.contains(g.uuid())).findFirst().orElseThrow();
        for (String row : rows.subList(1, rows.size())) {
            String[] f = row.split("\\s+");
            assertEquals(String.valueOf(host.gpus().stream().filter(g -> g.uuid().equals(f[3])).findFirst().orElseThrow().index()), f[2], row);
        }

        Run tooMany = nvjrun("run", "--rm", "--network", "none", "--gpus", "2", GpuTestImages.BUSYBOX, "true");
        assertEquals(125, tooMany.status(), tooMany.err());
        assertTrue(tooMany.err().contains("holder"), "the refusal names who holds the GPUs: " + tooMany.err());
        assertEquals(1, tooMany.err().strip().lines().count(), tooMany.err());

        Shell one = shell(List.of("--gpus", "1"), GpuTestImages.BUSYBOX, "env");
        assertEquals(0, one.status(), one.nvjrunErr() + one.err());
        assertTrue(one.lines().contains("NVIDIA_VISIBLE_DEVICES=" + free.uuid()), one.out());

        String heldIndex = String.valueOf(host.gpus().stream().filter(g -> g.uuid().equals(heldUuids.getFirst())).findFirst().orElseThrow().index());
        Shell named = shell(List.of("--gpus", "device=" + heldIndex), GpuTestImages.BUSYBOX, "env");
        assertEquals(0, named.status(), "explicit lists are always honoured: " + named.nvjrunErr());
        assertTrue(named.lines().contains("NVIDIA_VISIBLE_DEVICES=" + heldUuids.getFirst()), named.out());

        assertEquals(0, nvjrun("rm", "-f", "holder").status());
        assertEquals(1, nvjrun("gpu", "ps").out().lines().count(), "nothing is held any more");
    }

    /** Four creations in one JVM at once: the GPU choice lock also keeps threads apart, which the kernel's lock alone does not. */
    @Test
    void countRequestsStartedTogetherInOneProcessGetDistinctGpus() throws Exception {
        FakeGpuHost four = FakeGpuHost.create(tmp.resolve("four-gpus"), HostSpec.defaults().withGpus(4));
        List<Run> runs;
        try (var threads = Executors.newFixedThreadPool(4)) {
            List<Future<Run>> started = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                started.add(threads.submit(() -> nvjrunOn(four, Map.of(), "run", "-d", "--network", "none", "--gpus", "1",
                        GpuTestImages.BUSYBOX, "sleep", "60")));
            }
            runs = new ArrayList<>();
            for (Future<Run> f : started) {
                runs.add(f.get());
            }
        }
        runs.forEach(r -> assertEquals(0, r.status(), r.err()));
        Run ps = nvjrunOn(four, Map.of(), "gpu", "ps");
        List<String> uuids = ps.out().lines().skip(1).map(l -> l.split("\\s+")[3]).toList();
        assertEquals(4, uuids.size(), ps.out());
        assertEquals(Set.copyOf(four.gpus().stream().map(FakeGpu::uuid).toList()), Set.copyOf(uuids), "four different GPUs: " + ps.out());

        Run fifth = nvjrunOn(four, Map.of(), "run", "-d", "--network", "none", "--gpus", "1", GpuTestImages.BUSYBOX, "sleep", "60");
        assertEquals(125, fifth.status(), fifth.err());
        assertTrue(fifth.err().startsWith("nvjrun: cannot give 1 GPUs: only 0 of this host's 4 are free"), fifth.err());
    }

    @Test
    void createdContainersHoldTheirGpusToo() {
        Run created = nvjrun("create", "--network", "none", "--name", "waiting", "--gpus", "device=1", GpuTestImages.BUSYBOX, "true");
        assertEquals(0, created.status(), created.err());
        Run ps = nvjrun("gpu", "ps");
        assertTrue(ps.out().contains("waiting"), ps.out());
        assertTrue(ps.out().contains(gpu(1).uuid()), ps.out());
        Run inspect = nvjrun("inspect", "waiting");
        assertTrue(inspect.out().contains(GpuHolders.LABEL), inspect.out());
    }

    @Test
    void badRequestsAreRefusedWithTheHostsVersionsAndLeaveNothingBehind() throws IOException {
        List<List<String>> bad = List.of(
                List.of("--gpus", "device=7"),
                List.of("--gpus", "count=two"),
                List.of("--gpus", "all,capabilities=teleport"),
                List.of("--gpus", "all", "-e", "NVIDIA_REQUIRE_CUDA=cuda>=99.0"),
                List.of("-e", "NVIDIA_VISIBLE_DEVICES=GPU-nope"));
        Path rootfsDir = state.resolve("rootfs");
        long before = count(rootfsDir);
        for (List<String> flags : bad) {
            List<String> args = new ArrayList<>(List.of("run", "--rm", "--network", "none"));
            args.addAll(flags);
            args.addAll(List.of(GpuTestImages.BUSYBOX, "true"));
            Run r = nvjrun(args.toArray(String[]::new));
            assertEquals(125, r.status(), flags + ": " + r.err());
            assertTrue(r.err().startsWith("nvjrun: "), r.err());
            assertEquals(1, r.err().strip().lines().count(), "one sentence: " + r.err());
            assertTrue(r.err().contains(host.spec().driverVersion()), flags + " must name the driver: " + r.err());
            assertTrue(r.err().contains(host.spec().cudaVersion()), flags + " must name CUDA: " + r.err());
        }
        assertEquals("", nvjrun("ps", "-a", "-q").out());
        assertEquals(before, count(rootfsDir), "no root file system left behind");
    }

    @Test
    void aFailingLdconfigFailsTheStartInOneSentenceAndLeavesNothingBehind() throws IOException {
        assertEquals(0, nvjrun("run", "--rm", "--network", "none", "--gpus", "1", GpuTestImages.BUSYBOX, "true").status(),
                "the same request starts on an image whose cache can be written");
        Path rootfsDir = state.resolve("rootfs/overlay");
        long before = count(rootfsDir);
        Run r = nvjrun("run", "--rm", "--network", "none", "--gpus", "1", GpuTestImages.UNWRITABLE_LD_CACHE, "true");
        assertEquals(125, r.status(), r.err());
        assertTrue(r.err().startsWith("nvjrun: "), r.err());
        assertEquals(1, r.err().strip().lines().count(), "one sentence: " + r.err());
        assertTrue(r.err().contains("ldconfig over the root file system: exit status 1 (")
                && r.err().contains("/etc/ld.so.cache~: Is a directory)"), r.err());
        assertEquals("", nvjrun("ps", "-a", "-q").out());
        assertEquals(before, count(rootfsDir), "no root file system left behind");
        assertEquals(1, nvjrun("gpu", "ps").out().lines().count(), "no GPU held");
    }

    private static long count(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.count();
        }
    }

    /** The CLI without this test's host flags. */
    private static final class MainAccessRun {
        static Run run(String... args) {
            var out = new ByteArrayOutputStream();
            var err = new ByteArrayOutputStream();
            int status = MainAccess.execute(args, out, err, Map.of());
            return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        }
    }

    @Test
    void aMigDeviceBringsItsParentAndItsAccessNodesOnly() throws IOException {
        FakeGpuHost mig = FakeGpuHost.create(tmp.resolve("mig-host"), HostSpec.defaults().withGpus(2).withMig(true));
        Path share = Files.createTempDirectory(tmp, "share");
        Run r = nvjrunOn(mig, Map.of(), "run", "--rm", "--network", "none", "-v", share + ":/share", "--gpus", "device=1:0",
                GpuTestImages.BUSYBOX, "sh", "-c", "(find /dev -name 'nvidia*'; env) > /share/out");
        assertEquals(0, r.status(), r.err());
        List<String> out = Files.readAllLines(share.resolve("out"));
        int parent = mig.gpus().get(1).minor();
        assertTrue(out.contains("/dev/nvidia" + parent), out.toString());
        assertFalse(out.contains("/dev/nvidia" + mig.gpus().get(0).minor()), out.toString());
        List<String> caps = out.stream().filter(l -> l.startsWith("/dev/nvidia-caps/")).toList();
        assertEquals(2, caps.size(), "the GPU instance's and the compute instance's access nodes: " + out);
        assertTrue(out.stream().anyMatch(l -> l.startsWith("NVIDIA_VISIBLE_DEVICES=MIG-")), out.toString());
    }
}
