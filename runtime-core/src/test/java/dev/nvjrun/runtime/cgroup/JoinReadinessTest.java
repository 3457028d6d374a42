package dev.nvjrun.runtime.cgroup;

import dev.nvjrun.runtime.cgroup.v2.CgroupV2Manager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** What the join readiness writes where; that it moves nothing on a real hierarchy is CgroupV1ManagerTest's. */
class JoinReadinessTest {
    @TempDir
    Path tmp;

    @Test
    void writesThisProcessIntoTheGroupsProcsFile() throws Exception {
        Path procs = Files.writeString(tmp.resolve("cgroup.procs"), "");
        JoinReadiness.take(tmp);
        assertEquals("0", Files.readString(procs));
    }

    @Test
    void aGroupWithoutAProcsFileIsLeftAlone() {
        JoinReadiness.take(tmp.resolve("gone"));
        JoinReadiness.take(tmp);
        assertFalse(Files.exists(tmp.resolve("cgroup.procs")), "a procs file was made");
        assertFalse(Files.exists(tmp.resolve("gone")));
    }

    @Test
    void aV2ManagerWritesIntoThisProcesssOwnGroupOnlyWhenItKnowsIt() throws Exception {
        String own = Files.readAllLines(Path.of("/proc/self/cgroup")).stream().filter(l -> l.startsWith("0::/")).findFirst()
                .orElseThrow().substring(4);
        Path group = Files.createDirectories(tmp.resolve("mount").resolve(own));
        Path procs = Files.writeString(group.resolve("cgroup.procs"), "");
        new CgroupV2Manager(tmp.resolve("mount")).prepareJoin();
        assertEquals("", Files.readString(procs), "a manager for a parent group knows no group of this process");
        CgroupV2Manager.forCurrentProcess(tmp.resolve("mount")).prepareJoin();
        assertEquals("0", Files.readString(procs));
    }
}
