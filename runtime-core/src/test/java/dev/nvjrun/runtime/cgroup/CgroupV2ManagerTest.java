package dev.nvjrun.runtime.cgroup;

import dev.nvjrun.runtime.cgroup.v2.CgroupV2Manager;
import dev.nvjrun.runtime.spec.CgroupResources;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** On a cgroup2 hierarchy this test mounts itself (on hybrid hosts v1 keeps most controllers, so limits may be unavailable). */
class CgroupV2ManagerTest {
    static Path mount;

    @BeforeAll
    static void mountCgroup2() throws Exception {
        mount = Files.createTempDirectory("nvjrun-cgroup2");
        Process p = new ProcessBuilder("mount", "-t", "cgroup2", "none", mount.toString()).inheritIO().start();
        assertEquals(0, p.waitFor(), "mount -t cgroup2 failed; these tests need root and a kernel with cgroup2");
    }

    @AfterAll
    static void unmount() throws Exception {
        new ProcessBuilder("umount", mount.toString()).inheritIO().start().waitFor();
        Files.deleteIfExists(mount);
    }

    static Path newParent() throws Exception {
        return Files.createDirectories(mount.resolve("nvjrun-test-" + UUID.randomUUID()));
    }

    static java.util.Set<String> controllers(Path group) throws Exception {
        return java.util.Set.of(Files.readString(group.resolve("cgroup.controllers")).trim().split(" "));
    }

    @Test
    void createsJoinsAndRemovesAGroup() throws Exception {
        Path parent = newParent();
        CgroupManager manager = new CgroupV2Manager(parent);
        String id = "c-" + UUID.randomUUID();
        Process sleeper = new ProcessBuilder("sleep", "60").start();
        try {
            ContainerCgroup cg = manager.create(id, CgroupResources.UNLIMITED);
            assertEquals(List.of(parent.resolve("nvjrun").resolve(id)), cg.directories());
            Files.writeString(cg.directories().get(0).resolve("cgroup.procs"), Long.toString(sleeper.pid()));
            assertEquals(List.of((int) sleeper.pid()), manager.pids(id));
            assertTrue(Files.readString(Path.of("/proc", Long.toString(sleeper.pid()), "cgroup")).contains("0::/" + mount.relativize(cg.directories().get(0))));
            manager.remove(id);
            assertFalse(Files.exists(cg.directories().get(0)));
            assertEquals(137, sleeper.waitFor());
        } finally {
            sleeper.destroyForcibly();
            Files.deleteIfExists(parent.resolve("nvjrun"));
            Files.deleteIfExists(parent);
        }
    }

    @Test
    void handsEveryOfferedControllerDownThroughSubtreeControl() throws Exception {
        Path parent = newParent();
        CgroupManager manager = new CgroupV2Manager(parent);
        String id = "c-" + UUID.randomUUID();
        try {
            java.util.Set<String> offered = controllers(parent);
            ContainerCgroup cg = manager.create(id, CgroupResources.UNLIMITED);
            Path group = cg.directories().get(0);
            // On this hybrid host that is hugetlb alone; on a v2 host memory, pids, cpu and the rest as well.
            assertEquals(offered, controllers(group), "the container's group has what its parent was offered");
            assertEquals(offered, java.util.Set.of(Files.readString(parent.resolve("nvjrun/cgroup.subtree_control")).trim().split(" ")));
            manager.remove(id);
            assertFalse(Files.exists(group));
        } finally {
            Files.deleteIfExists(parent.resolve("nvjrun"));
            Files.deleteIfExists(parent);
        }
    }

    @Test
    void writesPidsMaxWhereTheControllerIsFreeAndRefusesItWhereNot() throws Exception {
        Path parent = newParent();
        CgroupManager manager = new CgroupV2Manager(parent);
        String id = "c-" + UUID.randomUUID();
        CgroupResources limited = CgroupResources.UNLIMITED.withPidsLimit(7L);
        try {
            if (controllers(mount).contains("pids")) {
                ContainerCgroup cg = manager.create(id, limited);
                assertEquals("7", Files.readString(cg.directories().get(0).resolve("pids.max")).trim());
                manager.remove(id);
            } else {
                CgroupException e = assertThrows(CgroupException.class, () -> manager.create(id, limited));
                assertTrue(e.getMessage().contains("pids controller is not available"), e.getMessage());
                assertFalse(Files.exists(parent.resolve("nvjrun")), "refused before anything was created");
            }
        } finally {
            Files.deleteIfExists(parent.resolve("nvjrun"));
            Files.deleteIfExists(parent);
        }
    }
}
