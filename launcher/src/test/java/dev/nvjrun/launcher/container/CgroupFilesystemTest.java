package dev.nvjrun.launcher.container;

import dev.nvjrun.launcher.CommandLineTest;
import dev.nvjrun.launcher.CommandLineTest.Run;
import dev.nvjrun.launcher.container.ContainerCommandsTest.Leftovers;
import dev.nvjrun.runtime.cgroup.CgroupManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * /sys/fs/cgroup and /proc/self/cgroup inside real busybox containers, through the command line, on this
 * host's cgroups (the v1 hierarchies of a hybrid host; ContainerOnCgroupV2Test covers cgroup2).
 */
class CgroupFilesystemTest {
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
        for (String id : nvjrun("ps", "-a", "-q", "--no-trunc").out().lines().toList()) {
            nvjrun("rm", "-f", id);
        }
    }

    static Run nvjrun(String... args) {
        List<String> all = new ArrayList<>(List.of("--root", root.toString()));
        all.addAll(List.of(args));
        return CommandLineTest.run(all.toArray(String[]::new));
    }

    /** Runs {@code script} in a container with {@code flags} and returns what it wrote to /out/log. */
    private static String inContainer(String script, String... flags) throws IOException {
        Path share = Files.createTempDirectory(tmp, "share");
        Files.setPosixFilePermissions(share, PosixFilePermissions.fromString("rwxrwxrwx"));
        List<String> args = new ArrayList<>(List.of("run", "--rm", "-v", share + ":/out"));
        if (!List.of(flags).contains("--network")) {
            args.addAll(List.of("--network", "none"));
        }
        args.addAll(List.of(flags));
        args.addAll(List.of(BusyboxImage.NAME, "sh", "-c", "(" + script + ") > /out/log 2>&1"));
        Run r = nvjrun(args.toArray(String[]::new));
        String log = Files.readString(share.resolve("log"));
        assertEquals(0, r.status(), r.err() + log);
        return log;
    }

    /** The names of the v1 hierarchies' mount points on this host, as a container should list them. */
    private static Set<String> hostHierarchies() throws IOException {
        Set<String> names = new java.util.TreeSet<>();
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            String[] f = line.split(" ");
            if (line.contains(" - cgroup ") && f[4].startsWith("/sys/fs/cgroup/")) {
                names.add(f[4].substring("/sys/fs/cgroup/".length()));
            }
        }
        return names;
    }

    @Test
    void defaultShowsTheContainersOwnLimitsReadOnlyAndNothingOfTheHost() throws IOException {
        String log = inContainer("cat /sys/fs/cgroup/memory/memory.limit_in_bytes /sys/fs/cgroup/pids/pids.max; "
                        + "echo 9 > /sys/fs/cgroup/pids/pids.max || echo limit-ro; mkdir /sys/fs/cgroup/x || echo tmpfs-ro; "
                        + "echo dirs: $(find /sys/fs/cgroup -mindepth 2 -type d); ls /sys/fs/cgroup | tr '\\n' ' '; echo; "
                        + "grep -c /nvjrun/ /proc/self/cgroup",
                "--memory", "64m", "--pids-limit", "7");
        List<String> lines = log.lines().filter(l -> !l.contains("Read-only file system")).toList();
        assertEquals("67108864", lines.get(0), log);
        assertEquals("7", lines.get(1), log);
        assertEquals("limit-ro", lines.get(2), log);
        assertEquals("tmpfs-ro", lines.get(3), log);
        assertEquals("dirs:", lines.get(4).strip(), "only the container's own groups, none of the host's: " + log);
        assertEquals(hostHierarchies(), Set.of(lines.get(5).strip().split(" ")), log);
        assertTrue(Integer.parseInt(lines.get(6)) >= hostHierarchies().size(), "the host's cgroup namespace shows host paths: " + log);
    }

    @Test
    void hostNetworkCoversTheHostsCgroupsThatTheSysBindBringsAlong() throws IOException {
        String log = inContainer("cat /sys/fs/cgroup/pids/pids.max; echo dirs: $(find /sys/fs/cgroup -mindepth 2 -type d)",
                "--network", "host", "--pids-limit", "6");
        assertEquals(List.of("6", "dirs:"), log.lines().map(String::strip).toList(), log);
    }

    @Test
    void privilegedMayWriteItsLimits() throws IOException {
        String log = inContainer("echo 9 > /sys/fs/cgroup/pids/pids.max && cat /sys/fs/cgroup/pids/pids.max", "--pids-limit", "7", "--privileged");
        assertEquals("9\n", log);
    }

    @Test
    void privateCgroupNamespaceShowsRootPathsAndStillItsOwnLimits() throws IOException {
        String log = inContainer("grep -v ':/$' /proc/self/cgroup; echo ---; cat /sys/fs/cgroup/pids/pids.max; "
                + "echo dirs: $(find /sys/fs/cgroup -mindepth 2 -type d); echo 9 > /sys/fs/cgroup/pids/pids.max || echo limit-ro",
                "--cgroupns", "private", "--pids-limit", "5");
        List<String> lines = log.lines().filter(l -> !l.contains("Read-only file system")).toList();
        Path share = Files.createTempDirectory(tmp, "exec");
        String running = nvjrun("run", "-d", "--network", "none", "--cgroupns", "private", "-v", share + ":/out", BusyboxImage.NAME,
                "sleep", "30").out().strip();
        Run exec = nvjrun("exec", running, "sh", "-c", "grep -c ':/$' /proc/self/cgroup > /out/slash; wc -l < /proc/self/cgroup > /out/all");
        assertEquals(0, exec.status(), exec.err());
        assertEquals(Files.readString(share.resolve("all")), Files.readString(share.resolve("slash")),
                "exec joins the cgroups, then the cgroup namespace, so all its lines read '/' too");
        assertEquals(0, nvjrun("rm", "-f", running).status());
        String chosen = nvjrun("create", "--network", "none", "--cgroupns", "private", BusyboxImage.NAME, "true").out().strip();
        String byDefault = nvjrun("create", "--network", "none", BusyboxImage.NAME, "true").out().strip();
        assertEquals("private\n", nvjrun("inspect", "-f", "{{.HostConfig.CgroupnsMode}}", chosen).out());
        assertEquals((CgroupManager.hostIsUnified() ? "private" : "host") + "\n", nvjrun("inspect", "-f", "{{.HostConfig.CgroupnsMode}}", byDefault).out(),
                "Docker's default: host on a v1 host, private on v2");
        assertEquals(List.of("---", "5", "dirs:", "limit-ro"), lines.stream().map(String::strip).toList(),
                "every line of /proc/self/cgroup ends in ':/': " + log);
    }

    @Test
    void twentyRunsLeaveNoMountOrCgroup() throws IOException {
        Leftovers before = Leftovers.count(root);
        for (int i = 0; i < 20; i++) {
            List<String> args = new ArrayList<>(List.of("run", "--rm", "--network", "none"));
            args.addAll(switch (i % 3) {
                case 0 -> List.of("--memory", "64m");
                case 1 -> List.of("--cgroupns", "private", "--pids-limit", "9");
                default -> List.of("--privileged");
            });
            args.addAll(List.of(BusyboxImage.NAME, "cat", "/sys/fs/cgroup/memory/memory.limit_in_bytes"));
            Run r = nvjrun(args.toArray(String[]::new));
            assertEquals(0, r.status(), args + ": " + r.err());
        }
        Leftovers after = Leftovers.count(root);
        assertEquals(before.mounts(), after.mounts());
        assertEquals(before.entries(), after.entries());
        // Other test sessions on this host start containers too; theirs sit under their own memory group.
        Path ownMemoryGroup = Path.of("/sys/fs/cgroup/memory" + Files.readAllLines(Path.of("/proc/self/cgroup")).stream()
                .filter(l -> l.split(":")[1].equals("memory")).findFirst().orElseThrow().split(":", 3)[2]);
        Set<String> leftIds = after.newCgroups(before).stream().filter(p -> p.startsWith(ownMemoryGroup))
                .map(p -> p.getFileName().toString()).collect(java.util.stream.Collectors.toSet());
        assertEquals(Set.of(), after.newCgroups(before).stream().filter(p -> leftIds.contains(p.getFileName().toString()))
                .collect(java.util.stream.Collectors.toSet()));
    }
}
