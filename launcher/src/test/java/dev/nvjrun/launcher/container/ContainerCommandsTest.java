package dev.nvjrun.launcher.container;

import dev.nvjrun.launcher.CommandLineTest;
import dev.nvjrun.launcher.CommandLineTest.Run;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The container commands on real containers of a busybox image, as root, through the command line. */
class ContainerCommandsTest {
    @TempDir
    static Path tmp;
    static Path root;

    @BeforeAll
    static void importImage() throws Exception {
        root = tmp.resolve("state");
        BusyboxImage.importInto(root, tmp);
    }

    @AfterAll
    static void removeEverything() {
        Run ids = nvjrun("ps", "-a", "-q", "--no-trunc");
        for (String id : ids.out().lines().toList()) {
            nvjrun("rm", "-f", id);
        }
        dev.nvjrun.launcher.network.ContainerNetworks.forRoot(root).networking().resetHost(); // the bridge of this test's root
    }

    static Run nvjrun(String... args) {
        List<String> all = new ArrayList<>(List.of("--root", root.toString()));
        all.addAll(List.of(args));
        return CommandLineTest.run(all.toArray(String[]::new));
    }

    /** A host directory every user of the container may write to. */
    private static Path share() throws IOException {
        Path dir = Files.createTempDirectory(tmp, "share");
        Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
        return dir;
    }

    @Test
    void runExitsWithTheContainersStatus() {
        Run r = nvjrun("run", "--rm", BusyboxImage.NAME, "sh", "-c", "exit 3");
        assertEquals(3, r.status(), r.err());
    }

    @Test
    void commandNotFoundIs127AndNotExecutableIs126() {
        Run missing = nvjrun("run", "--rm", BusyboxImage.NAME, "no-such-command");
        assertEquals(127, missing.status(), missing.err());
        assertTrue(missing.err().startsWith("nvjrun: ") && missing.err().contains("no-such-command"), missing.err());
        Run notExecutable = nvjrun("run", "--rm", BusyboxImage.NAME, "/etc/passwd");
        assertEquals(126, notExecutable.status(), notExecutable.err());
    }

    @Test
    void envHostnameWorkdirAndVolumeReachTheContainer() throws IOException {
        Path share = share();
        Run r = nvjrun("run", "--rm", "-e", "GREETING=hello", "-h", "box1", "-w", "/made/by/docker", "-v", share + ":/data",
                BusyboxImage.NAME, "sh", "-c", "echo $GREETING $(hostname) $(pwd) > /data/out");
        assertEquals(0, r.status(), r.err());
        assertEquals("hello box1 /made/by/docker\n", Files.readString(share.resolve("out")));
    }

    @Test
    void laterEnvironmentSourcesWin() throws IOException {
        Path share = share();
        Path envFile = tmp.resolve("env.list");
        Files.writeString(envFile, "# comment\nA=from-file\nB=from-file\n");
        Run r = nvjrun("run", "--rm", "--env-file", envFile.toString(), "-e", "B=from-flag", "-v", share + ":/data",
                BusyboxImage.NAME, "sh", "-c", "echo $A $B > /data/out");
        assertEquals(0, r.status(), r.err());
        assertEquals("from-file from-flag\n", Files.readString(share.resolve("out")));
    }

    @Test
    void readOnlyVolumeRefusesWrites() throws IOException {
        Path share = share();
        Run r = nvjrun("run", "--rm", "-v", share + ":/data:ro", BusyboxImage.NAME, "touch", "/data/x");
        assertNotEquals(0, r.status());
        assertFalse(Files.exists(share.resolve("x")));
    }

    @Test
    void deviceFlagCreatesTheNode() {
        Run r = nvjrun("run", "--rm", "--device", "/dev/null:/dev/nothing", BusyboxImage.NAME, "sh", "-c", "test -c /dev/nothing && echo x > /dev/nothing");
        assertEquals(0, r.status(), r.err());
    }

    @Test
    void runRemoveLeavesNoMountSnapshotCgroupOrState() throws IOException {
        Leftovers before = Leftovers.count(root);
        for (int i = 0; i < 3; i++) {
            assertEquals(0, nvjrun("run", "--rm", BusyboxImage.NAME, "true").status());
        }
        assertEquals(1, nvjrun("run", "--rm", BusyboxImage.NAME, "false").status());
        assertEquals(127, nvjrun("run", "--rm", BusyboxImage.NAME, "nothing-here").status());
        Leftovers after = Leftovers.count(root);
        assertEquals(before.mounts(), after.mounts());
        assertEquals(before.entries(), after.entries());
        assertEquals(Set.of(), after.newCgroups(before));
    }

    @Test
    void badFlagsFailWith125AndLeaveNothing() throws IOException {
        Leftovers before = Leftovers.count(root);
        List<List<String>> bad = List.of(List.of("--network", "container:"), List.of("-p", "80:99999"), List.of("--memory", "lots"), List.of("--ulimit", "nofile=x"),
                List.of("--cap-add", "NOT_A_CAP"), List.of("--security-opt", "apparmor=x"), List.of("-v", "relative:/x"),
                List.of("--device", "/etc/passwd"), List.of("--storage-driver", "zfs"), List.of("--cpus", "1000"),
                List.of("--blkio-weight", "5"), List.of("--stop-signal", "SIGNOPE"), List.of("-w", "relative"),
                List.of("--cgroupns", "bogus"), List.of("--cpuset-mems", "0-"));
        for (List<String> flags : bad) {
            List<String> args = new ArrayList<>(List.of("run", "--rm"));
            args.addAll(flags);
            args.addAll(List.of(BusyboxImage.NAME, "true"));
            Run r = nvjrun(args.toArray(String[]::new));
            assertEquals(125, r.status(), flags + ": " + r.err());
            assertTrue(r.err().startsWith("nvjrun: ") && r.err().lines().count() <= 2, flags + ": " + r.err());
            assertFalse(r.err().contains("\tat "), r.err());
        }
        assertEquals(before.entries(), Leftovers.count(root).entries());
        assertEquals(before.mounts(), Leftovers.count(root).mounts());
    }

    @Test
    void unknownImageFailsWith125() {
        Run r = nvjrun("run", "--rm", "localhost:1/nothing:latest", "true");
        assertEquals(125, r.status());
        assertTrue(r.err().contains("localhost:1"), r.err());
    }

    @Test
    void detachedContainerLogsStopsAndIsRemoved() throws Exception {
        Run started = nvjrun("run", "-d", "--name", "detached1", BusyboxImage.NAME, "sh", "-c",
                "echo up; trap 'echo stopping; exit 7' TERM; while true; do sleep 0.05; done");
        assertEquals(0, started.status(), started.err());
        String id = started.out().strip();
        assertTrue(id.matches("[0-9a-f]{64}"), id);
        Run ps = nvjrun("ps");
        assertTrue(ps.out().startsWith("CONTAINER ID"), ps.out());
        assertTrue(ps.out().contains(id.substring(0, 12)) && ps.out().contains("detached1") && ps.out().contains("Up "), ps.out());
        waitForLog("detached1", "up\n");
        Run exec = nvjrun("exec", "detached1", "sh", "-c", "exit 5");
        assertEquals(5, exec.status(), exec.err());
        assertEquals(0, nvjrun("stop", "-t", "5", id.substring(0, 8)).status());
        assertEquals("exited 7\n", nvjrun("inspect", "-f", "{{.State.Status}} {{.State.ExitCode}}", "detached1").out());
        assertEquals("up\nstopping\n", nvjrun("logs", "detached1").out());
        String logPath = nvjrun("inspect", "-f", "{{.LogPath}}", "detached1").out().strip();
        assertTrue(logPath.endsWith("/" + id + "-json.log"), logPath);
        assertTrue(Files.readString(Path.of(logPath)).contains("\"log\":\"stopping\\n\""), "the file logs reads");
        assertEquals("json-file {}\n", nvjrun("inspect", "-f", "{{.HostConfig.LogConfig.Type}} {{json .HostConfig.LogConfig.Config}}",
                "detached1").out());
        Run psAll = nvjrun("ps", "-a", "--format", "json");
        assertTrue(psAll.out().contains("\"Names\":\"detached1\"") && psAll.out().contains("\"State\":\"exited\""), psAll.out());
        assertEquals("detached1\n", nvjrun("rm", "detached1").out());
        Run gone = nvjrun("inspect", "detached1");
        assertEquals(125, gone.status());
        assertTrue(gone.err().contains("no such container"), gone.err());
    }

    @Test
    void createThenStartAttachedGivesTheExitStatus() {
        Run created = nvjrun("create", "--name", "created1", BusyboxImage.NAME, "sh", "-c", "echo attached; exit 4");
        assertEquals(0, created.status(), created.err());
        assertTrue(nvjrun("ps", "-a").out().contains("Created"));
        Run start = nvjrun("start", "-a", "created1");
        assertEquals(4, start.status(), start.err());
        assertEquals("attached\n", start.out());
        assertEquals("4\n", nvjrun("wait", "created1").out());
        Run again = nvjrun("create", "--name", "created1", BusyboxImage.NAME, "true");
        assertEquals(125, again.status());
        assertTrue(again.err().contains("already in use"), again.err());
        assertEquals(0, nvjrun("rm", "created1").status());
    }

    @Test
    void killSendsTheSignalAndRmForceRemovesARunningContainer() throws Exception {
        String id = nvjrun("run", "-d", BusyboxImage.NAME, "sleep", "30").out().strip();
        Run refused = nvjrun("rm", id);
        assertEquals(125, refused.status());
        assertTrue(refused.err().contains("running"), refused.err());
        assertEquals(0, nvjrun("kill", "-s", "KILL", id).status());
        assertEquals("137\n", nvjrun("wait", id).out());
        assertEquals(0, nvjrun("rm", "-f", id).status());
    }

    @Test
    void containerPruneRemovesStoppedContainersOnly() {
        String stopped = nvjrun("container", "create", BusyboxImage.NAME, "true").out().strip();
        String running = nvjrun("container", "run", "-d", BusyboxImage.NAME, "sleep", "30").out().strip();
        Run prune = nvjrun("container", "prune", "-f");
        assertEquals(0, prune.status(), prune.err());
        assertTrue(prune.out().contains(stopped), prune.out());
        String left = nvjrun("container", "ls", "-a", "-q", "--no-trunc").out();
        assertTrue(left.contains(running) && !left.contains(stopped), left);
        assertEquals(0, nvjrun("container", "rm", "-f", running).status());
    }

    @Test
    void memoryLimitKillsWith137AndInspectSaysOomKilled() {
        Run r = nvjrun("run", "--name", "oom1", "--memory", "16m", "--memory-swap", "16m", BusyboxImage.NAME,
                "sh", "-c", "head -c 200m /dev/zero | tail");
        assertEquals(137, r.status(), r.err());
        assertEquals("true 137\n", nvjrun("inspect", "-f", "{{.State.OOMKilled}} {{.State.ExitCode}}", "oom1").out());
        assertEquals(0, nvjrun("rm", "oom1").status());
    }

    @Test
    void userReadOnlyRootPidsLimitAndInitApply() throws IOException {
        Path share = share();
        Run r = nvjrun("run", "--rm", "-u", "nobody", "--read-only", "--pids-limit", "5", "--init", "-v", share + ":/out",
                BusyboxImage.NAME, "sh", "-c", "id -u > /out/uid; touch /x 2>/dev/null || echo ro > /out/root; "
                        + "cat /proc/1/cmdline | tr '\\0' ' ' > /out/pid1; for i in 1 2 3 4 5 6 7 8; do sleep 1 & done 2>/out/fork; true");
        assertEquals(2, r.status(), "busybox sh ends with 2 when it cannot fork: " + r.err());
        assertEquals("65534\n", Files.readString(share.resolve("uid")));
        assertEquals("ro\n", Files.readString(share.resolve("root")));
        assertFalse(Files.readString(share.resolve("pid1")).startsWith("sh "), "with --init PID 1 is the init, not sh");
        assertTrue(Files.readString(share.resolve("fork")).contains("fork"), "the pids limit refuses forks");
    }

    @Test
    void execTakesEnvUserAndWorkdir() throws Exception {
        Path share = share();
        String id = nvjrun("run", "-d", "-e", "BASE=1", "-v", share + ":/out", BusyboxImage.NAME, "sleep", "30").out().strip();
        Run exec = nvjrun("exec", "-e", "EXTRA=2", "-w", "/tmp", id, "sh", "-c", "echo $BASE $EXTRA $(pwd) > /out/exec");
        assertEquals(0, exec.status(), exec.err());
        assertEquals("1 2 /tmp\n", Files.readString(share.resolve("exec")));
        assertEquals(0, nvjrun("exec", "-u", "nobody", id, "sh", "-c", "test $(id -u) = 65534").status());
        assertEquals(127, nvjrun("exec", id, "no-such-command").status());
        assertEquals(0, nvjrun("rm", "-f", id).status());
    }

    @Test
    void inspectFallsBackToImagesLikeDocker() {
        Run image = nvjrun("inspect", BusyboxImage.NAME);
        assertEquals(0, image.status(), image.err());
        assertTrue(image.out().contains("\"RepoTags\""), image.out());
        Run neither = nvjrun("inspect", "neither-container-nor-image");
        assertEquals(125, neither.status());
        assertTrue(neither.err().startsWith("nvjrun: no such container or image: neither-container-nor-image"), neither.err());
    }

    @Test
    void waitGivesTheStatusOfADetachedRemoveContainerAndCleansUp() throws IOException {
        Leftovers before = Leftovers.count(root);
        String id = nvjrun("run", "-d", "--rm", BusyboxImage.NAME, "sh", "-c", "sleep 0.3; exit 5").out().strip();
        Run waited = nvjrun("wait", id);
        assertEquals("5\n", waited.out(), waited.err());
        assertEquals(0, waited.status(), "like docker wait, the code is printed and nvjrun's own status is 0");
        Leftovers after = Leftovers.count(root);
        assertEquals(before.mounts(), after.mounts());
        assertEquals(before.entries(), after.entries());
    }

    @Test
    void waitPrintsEveryCodeAndFailsWithOneOnlyForAMissingContainer() {
        String three = nvjrun("run", "-d", BusyboxImage.NAME, "sh", "-c", "exit 3").out().strip();
        String zero = nvjrun("run", "-d", BusyboxImage.NAME, "true").out().strip();
        Run both = nvjrun("wait", three, zero);
        assertEquals("3\n0\n", both.out(), both.err());
        assertEquals(0, both.status(), both.err());
        Run missing = nvjrun("wait", three, "no-such-container-here", zero);
        assertEquals("3\n0\n", missing.out(), "the others are still waited for");
        assertEquals(1, missing.status());
        assertTrue(missing.err().startsWith("nvjrun: ") && missing.err().contains("no-such-container-here")
                && missing.err().lines().count() == 1, missing.err());
        assertEquals(0, nvjrun("rm", three, zero).status());
    }

    @Test
    void networkNoneIsOwnNamespaceAndHostSharesTheHosts() throws IOException {
        Path share = share();
        String hostNet = Files.readSymbolicLink(Path.of("/proc/self/ns/net")).toString();
        assertEquals(0, nvjrun("run", "--rm", "-v", share + ":/out", BusyboxImage.NAME, "sh", "-c", "readlink /proc/self/ns/net > /out/none").status());
        assertEquals(0, nvjrun("run", "--rm", "--network", "host", "-v", share + ":/out", BusyboxImage.NAME, "sh", "-c",
                "readlink /proc/self/ns/net > /out/host").status());
        assertNotEquals(hostNet + "\n", Files.readString(share.resolve("none")));
        assertEquals(hostNet + "\n", Files.readString(share.resolve("host")));
    }

    @Test
    void capDropAllTakesAwayChown() {
        assertEquals(0, nvjrun("run", "--rm", BusyboxImage.NAME, "chown", "65534", "/tmp").status());
        assertNotEquals(0, nvjrun("run", "--rm", "--cap-drop", "ALL", BusyboxImage.NAME, "chown", "65534", "/tmp").status());
        assertEquals(0, nvjrun("run", "--rm", "--cap-drop", "ALL", "--cap-add", "CHOWN", BusyboxImage.NAME, "chown", "65534", "/tmp").status());
    }

    private static void waitForLog(String container, String expected) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            if (nvjrun("logs", container).out().equals(expected)) {
                return;
            }
            Thread.sleep(20);
        }
        assertEquals(expected, nvjrun("logs", container).out());
    }

    /** What containers of this state root could leave on the host. */
    record Leftovers(long mounts, List<String> entries, Set<Path> cgroups) {
        static Leftovers count(Path root) throws IOException {
            long mounts = Files.readAllLines(Path.of("/proc/self/mountinfo")).stream().filter(l -> l.contains(root.toString())).count();
            List<String> entries = new ArrayList<>();
            for (String dir : List.of("containers", "rootfs/overlay", "rootfs/vfs", "snapshots/overlay", "snapshots/vfs")) {
                Path d = root.resolve(dir);
                if (Files.isDirectory(d)) {
                    try (Stream<Path> s = Files.list(d)) {
                        s.forEach(p -> entries.add(root.relativize(p).toString()));
                    }
                }
            }
            entries.sort(null);
            Set<Path> cgroups;
            try (Stream<Path> walk = Files.walk(Path.of("/sys/fs/cgroup"), 6)) {
                cgroups = walk.filter(p -> p.getParent() != null && p.getParent().getFileName() != null
                        && p.getParent().getFileName().toString().equals("nvjrun")).collect(Collectors.toSet());
            }
            return new Leftovers(mounts, entries, cgroups);
        }

        Set<Path> newCgroups(Leftovers before) {
            return cgroups.stream().filter(c -> !before.cgroups.contains(c)).collect(Collectors.toSet());
        }
    }
}
