package dev.nvjrun.e2e.container;

import dev.nvjrun.e2e.Distribution;
import dev.nvjrun.e2e.Distribution.Result;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged nvjrun runs containers of a busybox-static image imported with {@code nvjrun import}:
 * output, exit codes, environment, volumes, detached life cycle, ps, exec, and --rm leaving nothing.
 */
class PackagedContainersTest {
    @TempDir
    static Path tmp;
    static Shell shell;
    static Path root;

    @BeforeAll
    static void importBusybox() throws Exception {
        root = tmp.resolve("state");
        shell = new Shell(root);
        shell.importBusybox(tmp);
    }

    @AfterAll
    static void cleanUp() throws Exception {
        shell.sh(Distribution.CLEAN_ROOT);
    }

    @Test
    void runPrintsTheContainersOutputAndHostname() throws Exception {
        Result r = shell.sh("nvjrun run --rm -h e2e-box e2e/busybox sh -c 'echo hello $(hostname); echo oops >&2'");
        assertEquals(0, r.status(), r.err());
        assertEquals("hello e2e-box\n", r.out());
        assertEquals("oops\n", r.err());
    }

    /**
     * The launcher names slf4j-simple's provider and ships its settings in its first jar (no class path scans):
     * logs still reach stderr in slf4j-simple's format, a level set from outside still applies, and SLF4J
     * announces nothing about the choice (stderr above holds only the container's own line).
     */
    @Test
    void logsReachStderrThroughSlf4jSimpleAsConfigured() throws Exception {
        Result r = shell.sh("JAVA_TOOL_OPTIONS=-Dorg.slf4j.simpleLogger.defaultLogLevel=debug nvjrun run --rm e2e/busybox true");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.err().lines().anyMatch(l -> l.matches(
                "\\[main\\] DEBUG dev\\.nvjrun\\.runtime\\.container\\.ContainerRuntime - container [0-9a-f]{64} runs as pid \\d+ .*")), r.err());
        assertTrue(r.err().lines().noneMatch(l -> l.startsWith("SLF4J")), r.err());
    }

    @Test
    void interactiveStdinReachesTheContainerAndWithoutItStdinIsEmpty() throws Exception {
        Result r = shell.sh("echo 'echo got $((6*7)); exit 2' | nvjrun run --rm -i e2e/busybox sh");
        assertEquals(2, r.status(), r.err());
        assertEquals("got 42\n", r.out());
        assertEquals("0\n", shell.sh("echo ignored | nvjrun run --rm e2e/busybox sh -c 'wc -c'").out().strip() + "\n");
    }

    @Test
    void exitCodesFollowDocker() throws Exception {
        assertEquals(42, shell.sh("nvjrun run --rm e2e/busybox sh -c 'exit 42'").status());
        assertEquals(127, shell.sh("nvjrun run --rm e2e/busybox no-such-command").status());
        assertEquals(126, shell.sh("nvjrun run --rm e2e/busybox /etc/passwd").status());
        Result killed = shell.sh("id=$(nvjrun run -d e2e/busybox sleep 30) && nvjrun kill $id >/dev/null && nvjrun wait $id; s=$?; "
                + "nvjrun rm $id >/dev/null; exit $s");
        assertEquals(0, killed.status(), "docker wait prints the code and succeeds: " + killed.err());
        assertEquals("137\n", killed.out());
        Result missing = shell.sh("nvjrun wait no-such-container");
        assertEquals(1, missing.status(), "docker wait fails with 1 for a missing container");
        assertTrue(missing.err().startsWith("nvjrun: ") && missing.err().contains("no-such-container"), missing.err());
        Result own = shell.sh("nvjrun run --rm --network no-such-net e2e/busybox true");
        assertEquals(125, own.status());
        assertTrue(own.err().startsWith("nvjrun: ") && own.err().contains("no-such-net"), own.err());
    }

    @Test
    void environmentAndVolumesReachTheContainer() throws Exception {
        Path share = Files.createDirectories(tmp.resolve("share"));
        Result r = shell.sh("FROM_HOST=yes nvjrun run --rm -e A=1 -e FROM_HOST -v " + share + ":/share e2e/busybox "
                + "sh -c 'echo $A $FROM_HOST > /share/out; cat /share/out'");
        assertEquals(0, r.status(), r.err());
        assertEquals("1 yes\n", r.out());
        assertEquals("1 yes\n", Files.readString(share.resolve("out")));
    }

    @Test
    void detachedContainerLogsExecStopAndRemove() throws Exception {
        Result started = shell.sh("nvjrun run -d --name e2e-detached e2e/busybox sh -c 'echo ready; exec sleep 60'");
        assertEquals(0, started.status(), started.err());
        String id = started.out().strip();
        Result ps = shell.sh("nvjrun ps");
        assertTrue(ps.out().lines().anyMatch(l -> l.startsWith(id.substring(0, 12)) && l.contains("e2e/busybox") && l.endsWith("e2e-detached")),
                ps.out());
        Result exec = shell.sh("nvjrun exec e2e-detached sh -c 'echo in $(cat /proc/1/comm)'");
        assertEquals("in sleep\n", exec.out(), exec.err());
        assertEquals("ready\n", shell.sh("nvjrun logs e2e-detached").out());
        Result stop = shell.sh("nvjrun stop -t 1 e2e-detached");
        assertEquals("e2e-detached\n", stop.out(), stop.err());
        // sleep, as PID 1 without a handler, ignores SIGTERM (as in Docker): killed after the grace time
        assertTrue(shell.sh("nvjrun ps -a").out().contains("Exited (137)"), shell.sh("nvjrun ps -a").out());
        assertEquals(0, shell.sh("nvjrun rm e2e-detached").status());
        assertEquals("", shell.sh("nvjrun ps -a -q").out());
    }

    @Test
    void removedContainersLeaveNoMountCgroupOrState() throws Exception {
        Counts before = Counts.now(root);
        Result r = shell.sh("for i in 1 2 3 4 5; do nvjrun run --rm e2e/busybox true || exit 1; done; "
                + "id=$(nvjrun run -d e2e/busybox sleep 30) && nvjrun rm -f $id >/dev/null");
        assertEquals(0, r.status(), r.err());
        assertEquals(before, Counts.now(root));
    }

    @Test
    void sigtermReachesTheContainerAndRunExitsWithItsStatus() throws Exception {
        Counts before = Counts.now(root);
        Result r = shell.sh("nvjrun run --rm e2e/busybox sh -c 'trap \"echo got TERM; exit 3\" TERM; echo up; "
                + "while true; do sleep 0.05; done' > " + tmp.resolve("term.out") + " & pid=$!; "
                + "for i in $(seq 100); do grep -q up " + tmp.resolve("term.out") + " 2>/dev/null && break; sleep 0.05; done; "
                + "kill -TERM $pid; wait $pid");
        assertEquals(3, r.status(), r.err());
        assertEquals("up\ngot TERM\n", Files.readString(tmp.resolve("term.out")));
        assertEquals(before, Counts.now(root), "--rm still removes the container after SIGTERM");
    }

    /** Mounts and state of this root, and the container cgroups of the host. */
    record Counts(long mounts, List<String> state, long cgroups) {
        static Counts now(Path root) throws IOException {
            long mounts = Files.readAllLines(Path.of("/proc/self/mountinfo")).stream().filter(l -> l.contains(root.toString())).count();
            List<String> state = new ArrayList<>();
            for (String dir : List.of("containers", "rootfs/overlay", "snapshots/overlay")) {
                if (Files.isDirectory(root.resolve(dir))) {
                    try (Stream<Path> s = Files.list(root.resolve(dir))) {
                        s.forEach(p -> state.add(root.relativize(p).toString()));
                    }
                }
            }
            state.sort(null);
            long cgroups;
            try (Stream<Path> walk = Files.walk(Path.of("/sys/fs/cgroup"), 6)) {
                cgroups = walk.filter(p -> p.getParent() != null && p.getParent().getFileName() != null
                        && p.getParent().getFileName().toString().equals("nvjrun")).count();
            }
            return new Counts(mounts, state, cgroups);
        }
    }
}
