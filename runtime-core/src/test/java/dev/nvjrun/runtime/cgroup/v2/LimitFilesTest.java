package dev.nvjrun.runtime.cgroup.v2;

import dev.nvjrun.runtime.cgroup.CgroupController;
import dev.nvjrun.runtime.cgroup.CgroupException;
import dev.nvjrun.runtime.spec.CgroupResources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The exact cgroup2 files and values nvjrun writes, checked against a directory tree this test builds to
 * mimic a cgroup2 group (this host's cgroup2 offers only hugetlb): it checks our writes, not the kernel.
 * CgroupV2ManagerTest and ContainerOnCgroupV2Test run against the real cgroup2 hierarchy.
 */
class LimitFilesTest {
    private static final List<String> FILES = List.of("memory.max", "memory.swap.max", "cpu.max", "cpu.weight", "cpuset.cpus",
            "cpuset.mems", "pids.max", "io.weight");
    private static final List<CgroupController> CONTROLLERS = List.of(new Memory(), new Cpu(), new Cpuset(), new Pids(), new Io());

    @TempDir
    Path tmp;

    private Map<String, String> writtenBy(CgroupResources r, String... extraFiles) throws IOException {
        Path group = Files.createDirectories(tmp.resolve("group-" + System.nanoTime()));
        for (String f : FILES) {
            Files.writeString(group.resolve(f), "untouched");
        }
        for (String f : extraFiles) {
            Files.writeString(group.resolve(f), "untouched");
        }
        for (CgroupController c : CONTROLLERS) {
            c.apply(group, r);
        }
        Map<String, String> written = new TreeMap<>();
        try (var files = Files.list(group)) {
            for (Path f : files.toList()) {
                String value = Files.readString(f);
                if (!value.equals("untouched")) {
                    written.put(f.getFileName().toString(), value);
                }
            }
        }
        return written;
    }

    @Test
    void writesEveryLimitDockerFlagsGiveInV2Units_fakeTreeChecksOurWritesNotTheKernel() throws IOException {
        CgroupResources r = new CgroupResources(64L << 20, 192L << 20, 50_000L, 100_000L, 1024L, "0-1", "0", 7L, 500, List.of());
        assertEquals(Map.of("memory.max", "67108864",
                "memory.swap.max", "134217728", // --memory-swap is memory plus swap; v2's file is swap alone
                "cpu.max", "50000 100000",
                "cpu.weight", "39", // 1 + (1024 - 2) * 9999 / 262142
                "cpuset.cpus", "0-1", "cpuset.mems", "0", "pids.max", "7",
                "io.weight", "default 4950"), writtenBy(r)); // 1 + (500 - 10) * 9999 / 990
    }

    @Test
    void swapFollowsDockerMeaningsOfMemorySwap_fakeTree() throws IOException {
        long m = 64L << 20;
        assertEquals("max", writtenBy(CgroupResources.UNLIMITED.withMemory(m, -1L)).get("memory.swap.max"), "-1: unlimited swap");
        assertEquals("0", writtenBy(CgroupResources.UNLIMITED.withMemory(m, m)).get("memory.swap.max"), "equal to --memory: no swap");
        assertEquals(Long.toString(m), writtenBy(CgroupResources.UNLIMITED.withMemory(m, null)).get("memory.swap.max"));
    }

    @Test
    void cpuEdgesAndBfqWeight_fakeTree() throws IOException {
        assertEquals("max 100000", writtenBy(CgroupResources.UNLIMITED.withCpu(null, 100_000L, null, null)).get("cpu.max"));
        assertEquals("1", writtenBy(CgroupResources.UNLIMITED.withCpu(null, null, 2L, null)).get("cpu.weight"));
        assertEquals("10000", writtenBy(CgroupResources.UNLIMITED.withCpu(null, null, 262144L, null)).get("cpu.weight"));
        Map<String, String> bfq = writtenBy(CgroupResources.UNLIMITED.withBlkioWeight(750), "io.bfq.weight");
        assertEquals("default 750", bfq.get("io.bfq.weight"), "BFQ has blkio's scale and takes the weight as is");
        assertFalse(bfq.containsKey("io.weight"));
    }

    @Test
    void refusesWhatTheKernelWouldBeforeWritingAnything_fakeTree() throws IOException {
        Path parent = Files.createDirectories(tmp.resolve("parent"));
        Files.writeString(parent.resolve("cgroup.controllers"), "cpuset cpu memory hugetlb\n");
        Files.writeString(parent.resolve("cgroup.subtree_control"), "");
        Files.writeString(parent.resolve("cpuset.cpus.effective"), "0-1\n");
        Files.writeString(parent.resolve("cpuset.mems.effective"), "0\n");
        CgroupV2Manager manager = new CgroupV2Manager(parent);
        CgroupException pids = assertThrows(CgroupException.class, () -> manager.create("c1", CgroupResources.UNLIMITED.withPidsLimit(5L)));
        assertTrue(pids.getMessage().contains("the pids controller is not available"), pids.getMessage());
        CgroupException cpus = assertThrows(CgroupException.class, () -> manager.create("c1", CgroupResources.UNLIMITED.withCpu(null, null, null, "0-3")));
        assertTrue(cpus.getMessage().contains("--cpuset-cpus 0-3 names CPUs or memory nodes this host does not offer here (0-1"), cpus.getMessage());
        CgroupException mems = assertThrows(CgroupException.class, () -> manager.create("c1", CgroupResources.UNLIMITED.withCpusetMems("1")));
        assertTrue(mems.getMessage().contains("--cpuset-mems 1"), mems.getMessage());
        assertEquals("", Files.readString(parent.resolve("cgroup.subtree_control")), "nothing enabled");
        assertFalse(Files.exists(parent.resolve("nvjrun")), "nothing created");
        assertThrows(IllegalArgumentException.class, () -> CgroupResources.UNLIMITED.withCpu(500L, 100_000L, null, null));
        assertThrows(IllegalArgumentException.class, () -> CgroupResources.UNLIMITED.withCpu(null, 2_000_000L, null, null));
    }
}
