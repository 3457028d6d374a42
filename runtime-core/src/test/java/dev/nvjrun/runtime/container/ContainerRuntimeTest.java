package dev.nvjrun.runtime.container;

import dev.nvjrun.runtime.container.log.LogEntry;
import dev.nvjrun.runtime.seccomp.SeccompCompiler;
import dev.nvjrun.runtime.seccomp.SeccompProfile;
import dev.nvjrun.runtime.spec.Capability;
import dev.nvjrun.runtime.spec.ContainerSpec;
import dev.nvjrun.runtime.spec.DeviceNode;
import dev.nvjrun.runtime.spec.Mount;
import dev.nvjrun.runtime.spec.Namespace;
import dev.nvjrun.runtime.spec.Security;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Real containers on a busybox root file system, as root, with this host's cgroups. */
class ContainerRuntimeTest {
    @TempDir
    static Path tmp;
    static Path rootfs;
    static ContainerRuntime runtime;

    @BeforeAll
    static void setUp() throws Exception {
        rootfs = BusyboxRootfs.create(tmp.resolve("rootfs"));
        runtime = ContainerRuntime.open(tmp.resolve("state"));
    }

    @AfterAll
    static void tearDown() {
        runtime.list().forEach(s -> runtime.delete(s.id(), true));
    }

    record Run(RunResult result, String output) {
        int exitCode() {
            return result.exitCode();
        }
    }

    private static Run run(ContainerSpec spec) throws IOException {
        Path out = Files.createTempFile(tmp, "out", ".txt");
        RunResult r = runtime.run(CreateRequest.of(spec), true, new Stdio(null, out, out));
        return new Run(r, Files.readString(out));
    }

    /** The text of a container's json-file log entries, in order. */
    private static String logText(String ref) throws IOException {
        Path log = runtime.logFile(ref);
        if (!Files.exists(log)) {
            return "";
        }
        return Files.readAllLines(log).stream().map(l -> LogEntry.parse(l).orElseThrow().text()).collect(Collectors.joining());
    }

    private static ContainerSpec sh(String script) {
        return DockerDefaults.spec(rootfs, List.of("sh", "-c", script));
    }

    @Test
    void firstProcessIsPidOneAndSeesNoHostProcess() throws Exception {
        Run r = run(sh("echo pid=$$; ls -d /proc/[0-9]* | wc -l"));
        assertEquals(0, r.exitCode(), r.output());
        List<String> lines = r.output().lines().toList();
        assertEquals("pid=1", lines.get(0));
        // sh, ls and wc: nothing of the host.
        assertTrue(Integer.parseInt(lines.get(1).trim()) <= 3, r.output());
    }

    @Test
    void setsHostnameAndProvidesEtcFiles() throws Exception {
        Run r = run(sh("hostname; cat /etc/hostname; grep -c ^127.0.0.1 /etc/hosts").withHostname("box1"));
        assertEquals(List.of("box1", "box1", "1"), r.output().lines().toList());
    }

    @Test
    void memoryLimitKillsAnAllocationBeyondIt() throws Exception {
        long limit = 32L << 20;
        ContainerSpec spec = sh("x=$(head -c 200000000 /dev/zero | tr '\\0' a); echo survived ${#x}");
        spec = spec.withResources(spec.resources().withMemory(limit, limit));
        Run r = run(spec);
        assertEquals(137, r.exitCode(), r.output());
        assertTrue(r.result().oomKilled());
        assertFalse(r.output().contains("survived"));
    }

    @Test
    void pidsLimitRefusesForks() throws Exception {
        ContainerSpec spec = sh("for i in 1 2 3 4 5 6 7 8; do sleep 1 & done; wait; echo end");
        spec = spec.withResources(spec.resources().withPidsLimit(4L));
        Run r = run(spec);
        assertTrue(r.output().contains("can't fork") || r.output().contains("Resource temporarily unavailable"), r.output());
    }

    @Test
    void deviceOutsideTheAllowListGivesEpermWhileDevNullWorks() throws Exception {
        ContainerSpec spec = sh("echo x > /dev/null && echo null-ok; head -c 1 /dev/kmsg");
        List<DeviceNode> devices = new ArrayList<>(spec.devices());
        devices.add(DeviceNode.charDevice("/dev/kmsg", 1, 11));
        Run r = run(spec.withDevices(devices));
        assertTrue(r.output().startsWith("null-ok"), r.output());
        assertTrue(r.output().contains("Operation not permitted"), r.output());
        assertEquals(1, r.exitCode());
    }

    @Test
    void mountFailsUnlessPrivileged() throws Exception {
        String script = "mkdir -p /mnt && mount -t tmpfs none /mnt && echo mounted";
        Run plain = run(sh(script));
        assertFalse(plain.output().contains("mounted"), plain.output());
        assertTrue(plain.output().contains("permission denied"), plain.output());
        Run privileged = run(DockerDefaults.privileged(sh(script)));
        assertEquals(0, privileged.exitCode(), privileged.output());
        assertTrue(privileged.output().contains("mounted"));
    }

    @Test
    void seccompRefusesMountEvenWithCapSysAdmin() throws Exception {
        ContainerSpec spec = sh("mkdir -p /mnt && mount -t tmpfs none /mnt && echo mounted");
        EnumSet<Capability> caps = EnumSet.of(Capability.SYS_ADMIN, Capability.DAC_OVERRIDE);
        byte[] filter = SeccompCompiler.compile(SeccompProfile.dockerDefault(), Capability.DOCKER_DEFAULT);
        Run filtered = run(spec.withSecurity(new Security(caps, false, filter)));
        assertFalse(filtered.output().contains("mounted"), filtered.output());
        assertTrue(filtered.output().contains("permission denied"), filtered.output());
        Run unconfined = run(spec.withSecurity(new Security(caps, false, new byte[0])));
        assertTrue(unconfined.output().contains("mounted"), unconfined.output());
    }

    @Test
    void procSysAndSysrqTriggerAreReadOnlyAndKeysMasked() throws Exception {
        Run r = run(sh("echo other > /proc/sys/kernel/hostname; [ -e /proc/sysrq-trigger ] && echo h > /proc/sysrq-trigger;"
                + " echo keys=$(wc -c < /proc/keys); echo tmp > /sys/kernel/x; true"));
        assertTrue(r.output().contains("Read-only file system"), r.output());
        assertTrue(r.output().contains("keys=0"), r.output());
        if (Files.exists(Path.of("/proc/sysrq-trigger"))) {
            assertEquals(3, r.output().split("Read-only file system", -1).length - 1, r.output());
        }
    }

    @Test
    void exitCodesFollowDocker() throws Exception {
        assertEquals(3, run(sh("exit 3")).exitCode());
        ContainerState sleeper = runtime.create(CreateRequest.of(sh("sleep 100")));
        runtime.start(sleeper.id());
        runtime.kill(sleeper.id(), 9);
        assertEquals(137, runtime.await(sleeper.id()));
        runtime.delete(sleeper.id(), false);
        ContainerException notFound = assertThrows(ContainerException.class, () -> run(DockerDefaults.spec(rootfs, List.of("nosuchcmd"))));
        assertEquals(127, notFound.exitCode());
        assertTrue(notFound.getMessage().contains("nosuchcmd"), notFound.getMessage());
        ContainerException notExecutable = assertThrows(ContainerException.class, () -> run(DockerDefaults.spec(rootfs, List.of("/etc/passwd"))));
        assertEquals(126, notExecutable.exitCode());
        assertTrue(notExecutable.getMessage().contains("Permission denied"), notExecutable.getMessage());
    }

    @Test
    void bindVolumesAndReadOnlyRootWork() throws Exception {
        Path rw = Files.createDirectories(tmp.resolve("vol-rw"));
        Path ro = Files.createDirectories(tmp.resolve("vol-ro"));
        Files.writeString(ro.resolve("given"), "from-host\n");
        ContainerSpec spec = sh("echo written > /data/out; cat /config/given; echo no > /config/x; touch /newfile; echo end");
        List<Mount> mounts = new ArrayList<>(spec.mounts());
        mounts.add(Mount.bind(rw.toString(), "/data", false));
        mounts.add(Mount.bind(ro.toString(), "/config", true));
        Run r = run(spec.withMounts(mounts).withReadonlyRootfs(true));
        assertEquals("written\n", Files.readString(rw.resolve("out")));
        assertTrue(r.output().startsWith("from-host"), r.output());
        assertEquals(2, r.output().split("Read-only file system", -1).length - 1, r.output());
        assertFalse(Files.exists(ro.resolve("x")));
        assertFalse(Files.exists(rootfs.resolve("newfile")));
    }

    @Test
    void nonRootUserHasNoEffectiveCapabilities() throws Exception {
        ContainerSpec spec = sh("id -u; id -g; grep CapEff /proc/self/status");
        spec = spec.withProcess(new dev.nvjrun.runtime.spec.ProcessSpec(spec.process().args(), spec.process().env(), "/tmp",
                dev.nvjrun.runtime.process.UserResolver.resolve(rootfs, "nobody"), List.of(), false));
        Run r = run(spec);
        assertEquals(List.of("65534", "65534", "CapEff:\t0000000000000000"), r.output().lines().toList());
    }

    @Test
    void networkNamespaceHasOnlyLoopbackAndItIsUp() throws Exception {
        Run r = run(sh("ls /sys/class/net; cat /sys/class/net/lo/operstate"));
        assertEquals("lo", r.output().lines().findFirst().orElse(""), r.output());
        assertTrue(r.output().contains("unknown"), r.output());
    }

    @Test
    void detachedContainerLogsStopsAndWaits() throws Exception {
        ContainerState created = runtime.create(new CreateRequest("detached-logs", sh("echo hello; cat; sleep 100"), Map.of("k", "v"), "TERM", 1));
        assertEquals(ContainerStatus.CREATED, created.status());
        ContainerState started = runtime.start("detached-logs");
        assertEquals(ContainerStatus.RUNNING, started.status());
        assertTrue(started.pid() > 0);
        assertEquals(ContainerStatus.RUNNING, runtime.inspect(created.shortId()).status());
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!logText("detached-logs").contains("hello") && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals("hello\n", logText("detached-logs"));
        // stdin is /dev/null, so cat ended at once; sh as PID 1 ignores SIGTERM, so stop ends with SIGKILL
        // after the 1 s timeout, as with Docker.
        ContainerState stopped = runtime.stop("detached-logs", null);
        assertEquals(ContainerStatus.EXITED, stopped.status());
        assertEquals(137, stopped.exitCode());
        assertEquals(137, runtime.await("detached-logs"));
        assertThrows(ContainerException.class, () -> runtime.kill("detached-logs", 15));
        runtime.delete("detached-logs", false);
        assertThrows(ContainerException.class, () -> runtime.inspect("detached-logs"));
    }

    @Test
    void execJoinsTheContainersNamespaces() throws Exception {
        ContainerState c = runtime.create(CreateRequest.of(sh("echo marker > /tmp/m; sleep 100").withHostname("exec-box")));
        runtime.start(c.id());
        Path out = Files.createTempFile(tmp, "exec", ".txt");
        dev.nvjrun.runtime.spec.ProcessSpec p = new dev.nvjrun.runtime.spec.ProcessSpec(
                List.of("sh", "-c", "for i in 1 2 3 4 5 6 7 8 9; do [ -f /tmp/m ] && break; sleep 0.2; done; hostname; cat /tmp/m; cat /proc/1/cmdline | tr '\\0' ' '; echo; exit 4"),
                List.of(DockerDefaults.DEFAULT_PATH), "/", dev.nvjrun.runtime.spec.User.ROOT, List.of(), false);
        assertEquals(4, runtime.exec(c.id(), p, new Stdio(null, out, out)));
        List<String> lines = Files.readString(out).lines().toList();
        assertEquals("exec-box", lines.get(0));
        assertEquals("marker", lines.get(1));
        // busybox sh execs its last command, so the container's PID 1 is now sleep.
        assertEquals("sleep 100", lines.get(2).trim());
        runtime.delete(c.id(), true);
        assertThrows(ContainerException.class, () -> runtime.exec(c.id(), p, Stdio.INHERIT));
    }

    @Test
    void symlinksInTheImageCannotPointMountsOrDevicesAtTheHost() throws Exception {
        Path hostile = BusyboxRootfs.create(tmp.resolve("rootfs-hostile"));
        Path hostDir = Files.createDirectories(tmp.resolve("host-target"));
        Files.delete(hostile.resolve("dev"));
        Files.createSymbolicLink(hostile.resolve("dev"), hostDir.toAbsolutePath());
        Path out = Files.createTempFile(tmp, "out", ".txt");
        RunResult r = runtime.run(CreateRequest.of(DockerDefaults.spec(hostile, List.of("sh", "-c", "echo x > /dev/null && echo ok"))),
                true, new Stdio(null, out, out));
        assertEquals(0, r.exitCode(), Files.readString(out));
        assertEquals("ok\n", Files.readString(out));
        try (var s = Files.list(hostDir)) {
            assertEquals(0, s.count(), "the container created files in the host directory its /dev symlink names");
        }
    }

    @Test
    void detachedOomIsVisibleInInspectAndPruneRemovesExitedContainers() throws Exception {
        ContainerSpec spec = sh("x=$(head -c 200000000 /dev/zero | tr '\\0' a)");
        spec = spec.withResources(spec.resources().withMemory(16L << 20, 16L << 20));
        ContainerState c = runtime.create(new CreateRequest("oom-detached", spec, Map.of("team", "gpu"), "TERM", 10));
        runtime.start("oom-detached");
        assertEquals(137, runtime.await("oom-detached"));
        ContainerState s = runtime.inspect(c.shortId());
        assertTrue(s.oomKilled());
        assertEquals(Map.of("team", "gpu"), s.labels());
        assertTrue(runtime.list().stream().anyMatch(x -> x.name().equals("oom-detached")));
        assertTrue(runtime.prune().contains(c.id()));
        assertTrue(runtime.list().stream().noneMatch(x -> x.name().equals("oom-detached")));
    }

    @Test
    void noNewPrivilegesReachesTheProcess() throws Exception {
        ContainerSpec spec = sh("grep NoNewPrivs /proc/self/status");
        Security sec = spec.security();
        Run r = run(spec.withSecurity(new Security(sec.capabilities(), true, sec.seccompFilter())));
        assertEquals("NoNewPrivs:\t1\n", r.output());
    }

    @Test
    void terminalGivesAPtyOfTheContainersDevptsWithTheWindowSize() throws Exception {
        Path out = Files.createTempFile(tmp, "tty", ".txt");
        RunResult r = runtime.run(CreateRequest.of(sh("tty; stty size; exit 5")), true,
                new Stdio(null, out, out, new dev.nvjrun.runtime.spec.Terminal(33, 101, false)));
        assertEquals(5, r.exitCode());
        assertEquals(List.of("/dev/pts/0", "33 101"), Files.readString(out).lines().map(String::strip).toList());
    }

    @Test
    void stopReachesAForegroundContainersFirstProcess() throws Exception {
        ContainerSpec spec = sh("trap 'echo got-term; exit 7' TERM; echo ready; while true; do sleep 0.05; done");
        Path out = Files.createTempFile(tmp, "fg", ".txt");
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<RunResult> running = pool.submit(() -> runtime.run(new CreateRequest("foreground-stop", spec, Map.of(), "TERM", 10),
                    false, new Stdio(null, out, out)));
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (!Files.readString(out).contains("ready") && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            ContainerState stopped = runtime.stop("foreground-stop", Duration.ofSeconds(5));
            assertEquals(7, stopped.exitCode());
            assertEquals(7, running.get().exitCode());
            assertTrue(Files.readString(out).contains("got-term"));
            runtime.delete("foreground-stop", false);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aRemovedForegroundContainerIsRunningForOthersWhileItRunsAndLeavesNoStateAfterwards() throws Exception {
        Path gate = Files.createDirectories(tmp.resolve("gate"));
        ContainerSpec spec = sh("echo ready; while [ ! -e /gate/go ]; do sleep 0.02; done; exit 4");
        List<Mount> mounts = new ArrayList<>(spec.mounts());
        mounts.add(Mount.bind(gate.toString(), "/gate", true));
        Path out = Files.createTempFile(tmp, "rm", ".txt");
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<RunResult> running = pool.submit(() -> runtime.run(CreateRequest.of(spec.withMounts(mounts)).withName("removed-after"),
                    true, new Stdio(null, out, out)));
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (!Files.readString(out).contains("ready") && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            // another nvjrun process (a runtime of its own, nothing cached) reads the running state
            ContainerState seen = ContainerRuntime.open(tmp.resolve("state")).inspect("removed-after");
            assertEquals(ContainerStatus.RUNNING, seen.status());
            assertTrue(seen.pid() > 0 && seen.supervisorPid() > 0, seen.toString());
            try (var files = Files.list(tmp.resolve("state/containers").resolve(seen.id()))) {
                assertTrue(files.noneMatch(f -> f.getFileName().toString().endsWith(".tmp")), "a temporary state file is left");
            }
            Files.writeString(gate.resolve("go"), "");
            RunResult result = running.get();
            assertEquals(4, result.exitCode());
            assertFalse(result.oomKilled());
            assertFalse(Files.exists(tmp.resolve("state/containers").resolve(seen.id())), "the state directory is still there");
            assertFalse(Files.exists(tmp.resolve("state/locks").resolve(seen.id() + ".lock")));
            assertThrows(ContainerException.class, () -> runtime.inspect("removed-after"));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void detachedContainerWithAutoRemoveLeavesNothingAfterExit() throws Exception {
        Leftovers before = Leftovers.count();
        ContainerState c = runtime.create(CreateRequest.of(sh("echo bye")).withName("self-removing").withAutoRemove(true));
        runtime.start("self-removing");
        Path dir = tmp.resolve("state/containers").resolve(c.id());
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (Files.exists(dir) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertFalse(Files.exists(dir), "the state directory is still there");
        while (Leftovers.runningHelpers() > before.supervisors() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThrows(ContainerException.class, () -> runtime.inspect("self-removing"));
        runtime.prune();
        assertFalse(Files.exists(tmp.resolve("state/locks").resolve(c.id() + ".lock")));
        assertEquals(before, Leftovers.count());
    }

    @Test
    void waitGivesTheStatusOfAContainerThatRemovedItself() throws Exception {
        ContainerState c = runtime.create(CreateRequest.of(sh("sleep 0.2; exit 5")).withName("self-removing-status").withAutoRemove(true));
        runtime.start(c.id());
        assertEquals(5, runtime.await(c.id()));
        ContainerState quick = runtime.create(CreateRequest.of(sh("exit 6")).withAutoRemove(true));
        runtime.start(quick.id());
        Thread.sleep(300); // gone before anybody waits
        assertThrows(ContainerException.class, () -> runtime.await(quick.id()), "no state is left to wait on");
        runtime.prune();
        assertFalse(Files.exists(tmp.resolve("state/locks").resolve(c.id() + ".lock.exit")), "prune removes the kept status");
    }

    @Test
    void initForwardsSignalsToTheCommand() throws Exception {
        ContainerSpec spec = DockerDefaults.spec(rootfs, List.of("sleep", "100"));
        spec = spec.withProcess(new dev.nvjrun.runtime.spec.ProcessSpec(spec.process().args(), spec.process().env(), "/",
                spec.process().user(), List.of(), true));
        ContainerState c = runtime.create(CreateRequest.of(spec));
        runtime.start(c.id());
        runtime.kill(c.id(), 15);
        assertEquals(143, runtime.await(c.id()));
        runtime.delete(c.id(), false);
    }

    @Test
    void refusesRunningContainerRemovalWithoutForceAndDuplicateNames() throws Exception {
        ContainerState c = runtime.create(new CreateRequest("busy", sh("sleep 100"), Map.of(), "TERM", 10));
        runtime.start("busy");
        ContainerException e = assertThrows(ContainerException.class, () -> runtime.delete("busy", false));
        assertTrue(e.getMessage().contains("is running"), e.getMessage());
        assertThrows(ContainerException.class, () -> runtime.create(new CreateRequest("busy", sh("true"), Map.of(), "TERM", 10)));
        runtime.delete("busy", true);
        assertFalse(Files.exists(tmp.resolve("state/containers").resolve(c.id())));
        assertFalse(Files.exists(tmp.resolve("state/locks").resolve(c.id() + ".lock")));
    }

    @Test
    void twentyContainersStartInParallel() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(20);
        try {
            List<Future<Run>> runs = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                int n = i;
                runs.add(pool.submit(() -> run(sh("echo run-" + n))));
            }
            for (int i = 0; i < 20; i++) {
                Run r = runs.get(i).get();
                assertEquals(0, r.exitCode(), r.output());
                assertEquals("run-" + i + "\n", r.output());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void hundredRunsLeaveNoMountCgroupProcessOrDescriptorBehind() throws Exception {
        run(sh("true"));
        Leftovers before = Leftovers.count();
        for (int i = 0; i < 100; i++) {
            assertEquals(0, run(sh("true")).exitCode());
        }
        assertEquals(before, Leftovers.count());
        assertTrue(runtime.list().stream().noneMatch(s -> s.status() == ContainerStatus.RUNNING));
    }

    @Test
    void hostNetworkNamespaceKeepsHostInterfaces() throws Exception {
        ContainerSpec spec = sh("ls /sys/class/net | wc -l");
        EnumSet<Namespace> ns = EnumSet.copyOf(spec.namespaces());
        ns.remove(Namespace.NETWORK);
        spec = spec.withNamespaces(ns).withMounts(dev.nvjrun.runtime.mount.DefaultFilesystem.mounts(64 << 20, false, false));
        Run r = run(spec);
        assertEquals(0, r.exitCode(), r.output());
        try (var s = Files.list(Path.of("/sys/class/net"))) {
            assertEquals(s.count(), Long.parseLong(r.output().trim()));
        }
    }

    @Test
    void startFailureIsReportedPreciselyAndLeavesNoCgroup() throws Exception {
        ContainerSpec spec = sh("true").withProcess(new dev.nvjrun.runtime.spec.ProcessSpec(List.of("true"), List.of(), "/no/such/dir",
                dev.nvjrun.runtime.spec.User.ROOT, List.of(), false));
        Leftovers before = Leftovers.count();
        ContainerException e = assertThrows(ContainerException.class, () -> run(spec));
        assertEquals(125, e.exitCode());
        assertTrue(e.getMessage().contains("chdir to working directory /no/such/dir: No such file or directory"), e.getMessage());
        assertEquals(before, Leftovers.count());
    }

    /**
     * The host's ldconfig over the root, run by the helper in the container's mount namespace: the library
     * bind-mounted read-only (onto an empty mount point before the start) is in the cache it writes, so it
     * ran after the mounts; it is not one of the container's processes (a pids limit of 1 leaves room for
     * it); a failing command is the start's one failure, with its status.
     */
    @Test
    void ldconfigRunsOverTheRootOnceTheMountsAreMadeAndItsFailureFailsTheStart() throws Exception {
        Path ldconfig = Path.of("/sbin/ldconfig");
        String cache = "/ldcache-" + System.nanoTime();
        ContainerSpec spec = DockerDefaults.spec(rootfs, List.of("grep", "-c", "/usr/local/nvidia/lib64/libc.so.6", cache));
        List<Mount> mounts = new ArrayList<>(spec.mounts());
        mounts.add(Mount.bind("/lib/x86_64-linux-gnu/libc.so.6", "/usr/local/nvidia/lib64/libc.so.6", true));
        spec = spec.withMounts(mounts).withResources(spec.resources().withPidsLimit(1L));
        Run r = run(spec.withLdconfig(List.of(ldconfig.toString(), "-r", rootfs.toString(), "-C", cache, "/usr/local/nvidia/lib64")));
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(Integer.parseInt(r.output().trim()) > 0, r.output());
        assertEquals(0, Files.size(rootfs.resolve("usr/local/nvidia/lib64/libc.so.6")), "the library was only mounted over the root");

        ContainerSpec failing = spec.withLdconfig(List.of("/bin/sh", "-c", "echo cannot write the cache >&2; exit 3"));
        int containers = runtime.list().size();
        ContainerException e = assertThrows(ContainerException.class, () -> run(failing));
        assertEquals(125, e.exitCode());
        assertTrue(e.getMessage().contains("run the host's /bin/sh over the root file system: exit status 3 (cannot write the cache)"),
                e.getMessage());
        assertEquals(containers, runtime.list().size(), "the failed container is not kept");
    }

    @Test
    void ulimitAboveTheHardLimitIsRefusedClearly() throws Exception {
        ContainerSpec spec = sh("ulimit -n");
        ContainerSpec raised = spec.withProcess(new dev.nvjrun.runtime.spec.ProcessSpec(spec.process().args(), spec.process().env(), "/",
                dev.nvjrun.runtime.spec.User.ROOT, List.of(new dev.nvjrun.runtime.spec.Rlimit(dev.nvjrun.runtime.spec.RlimitType.NOFILE, 1 << 30, 1 << 30)), false));
        ContainerException e = assertThrows(ContainerException.class, () -> run(raised));
        assertTrue(e.getMessage().contains("current hard limit"), e.getMessage());
        ContainerSpec lowered = spec.withProcess(new dev.nvjrun.runtime.spec.ProcessSpec(spec.process().args(), spec.process().env(), "/",
                dev.nvjrun.runtime.spec.User.ROOT, List.of(new dev.nvjrun.runtime.spec.Rlimit(dev.nvjrun.runtime.spec.RlimitType.NOFILE, 256, 512)), false));
        assertEquals("256\n", run(lowered).output());
    }

    /** What a container could leave on the host: mounts, cgroups, our children, supervisors and our file descriptors. */
    record Leftovers(long mounts, long cgroups, long children, long supervisors, long fds) {
        static Leftovers count() throws IOException {
            long mounts = Files.readAllLines(Path.of("/proc/self/mountinfo")).size();
            long cgroups;
            try (var walk = Files.walk(Path.of("/sys/fs/cgroup"), 6)) {
                cgroups = walk.filter(p -> p.toString().contains("/nvjrun/")).count();
            }
            long children = ProcessHandle.current().descendants().count();
            long fds;
            try (var s = Files.list(Path.of("/proc/self/fd"))) {
                fds = s.count();
            }
            return new Leftovers(mounts, cgroups, children, runningHelpers(), fds);
        }

        /** Helper processes anywhere on the host: detached supervisors are not our descendants. */
        static long runningHelpers() throws IOException {
            long count = 0;
            try (var procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
                for (Path p : procs) {
                    try {
                        String stat = Files.readString(p.resolve("stat"));
                        boolean zombie = stat.charAt(stat.lastIndexOf(')') + 2) == 'Z';
                        if (!zombie && Files.readString(p.resolve("comm")).startsWith("nvjrun-helper")) {
                            count++;
                        }
                    } catch (IOException gone) {
                        // the process ended while we looked
                    }
                }
            }
            return count;
        }
    }
}
