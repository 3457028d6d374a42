package dev.nvjrun.runtime.cgroup;

import dev.nvjrun.runtime.cgroup.v1.CgroupV1Manager;
import dev.nvjrun.runtime.spec.CgroupResources;
import dev.nvjrun.runtime.spec.DeviceRule;
import dev.nvjrun.runtime.spec.DeviceType;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Against this host's cgroup v1 hierarchies; needs root. */
class CgroupV1ManagerTest {
    private final CgroupManager manager = CgroupV1Manager.forCurrentProcess();
    private final String id = "test-" + UUID.randomUUID();

    private static Path groupIn(ContainerCgroup cg, String hierarchy) {
        return cg.directories().stream().filter(p -> p.startsWith("/sys/fs/cgroup/" + hierarchy + "/")).findFirst().orElseThrow();
    }

    @Test
    void writesEveryLimitAndRemovesTheGroups() throws Exception {
        CgroupResources r = new CgroupResources(64L << 20, 64L << 20, 50_000L, 100_000L, 512L, "0", null, 10L, null,
                List.of(new DeviceRule(true, DeviceType.CHAR, 1, 3, "rwm")));
        ContainerCgroup cg = manager.create(id, r);
        try {
            assertEquals(String.valueOf(64L << 20), Files.readString(groupIn(cg, "memory").resolve("memory.limit_in_bytes")).trim());
            assertEquals("10", Files.readString(groupIn(cg, "pids").resolve("pids.max")).trim());
            assertEquals("50000", Files.readString(groupIn(cg, "cpu").resolve("cpu.cfs_quota_us")).trim());
            assertEquals("512", Files.readString(groupIn(cg, "cpu").resolve("cpu.shares")).trim());
            assertEquals("0", Files.readString(groupIn(cg, "cpuset").resolve("cpuset.cpus")).trim());
            assertEquals("c 1:3 rwm", Files.readString(groupIn(cg, "devices").resolve("devices.list")).trim());
            assertTrue(groupIn(cg, "memory").toString().endsWith("/nvjrun/" + id));
            assertEquals(List.of(), manager.pids(id));
            assertFalse(manager.oomKilled(id));
        } finally {
            manager.remove(id);
        }
        cg.directories().forEach(d -> assertFalse(Files.exists(d), d + " was left behind"));
    }

    @Test
    void removeKillsWhatIsLeftInTheGroup() throws Exception {
        ContainerCgroup cg = manager.create(id, CgroupResources.UNLIMITED);
        Process sleeper = new ProcessBuilder("sleep", "60").start();
        try {
            Files.writeString(groupIn(cg, "memory").resolve("cgroup.procs"), Long.toString(sleeper.pid()));
            assertEquals(List.of((int) sleeper.pid()), manager.pids(id));
        } finally {
            manager.remove(id);
        }
        assertEquals(137, sleeper.waitFor());
        cg.directories().forEach(d -> assertFalse(Files.exists(d)));
    }

    @Test
    void preparingAJoinMovesNothing() throws Exception {
        List<String> before = Files.readAllLines(Path.of("/proc/self/cgroup"));
        manager.prepareJoin();
        assertEquals(before, Files.readAllLines(Path.of("/proc/self/cgroup")));
    }

    @Test
    void badLimitFailsClearlyAndLeavesNoGroup() {
        CgroupResources r = CgroupResources.UNLIMITED.withCpu(null, null, null, "999");
        CgroupException e = assertThrows(CgroupException.class, () -> manager.create(id, r));
        assertTrue(e.getMessage().contains("--cpuset-cpus 999") && e.getMessage().contains("cpuset.effective_cpus") && e.getMessage().contains(id),
                e.getMessage());
        for (String h : List.of("memory", "cpuset", "pids", "devices")) {
            try (var s = Files.walk(Path.of("/sys/fs/cgroup", h), 5)) {
                assertTrue(s.noneMatch(p -> p.getFileName().toString().equals(id)), h);
            } catch (java.io.IOException io) {
                throw new java.io.UncheckedIOException(io);
            }
        }
    }
}
