package dev.nvjrun.runtime.cgroup.v1;

import dev.nvjrun.runtime.cgroup.CgroupView;
import dev.nvjrun.runtime.spec.Mount;
import dev.nvjrun.runtime.spec.MountFlag;
import dev.nvjrun.runtime.spec.Symlink;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The v1 mount list for /sys/fs/cgroup, computed for a host with co-mounted controllers (as most distributions have). */
class CgroupV1ViewTest {
    private static final List<String> CGROUP = List.of("12:cpu,cpuacct:/user.slice", "11:memory:/user.slice/session-1.scope",
            "10:name=systemd:/user.slice/session-1.scope", "9:net_cls,net_prio:/", "8:devices:/user.slice", "0::/user.slice/session-1.scope");
    private static final List<String> MOUNTINFO = List.of(
            "25 20 0:22 / /sys/fs/cgroup ro,nosuid,nodev,noexec shared:9 - tmpfs tmpfs ro,mode=755",
            "26 25 0:23 / /sys/fs/cgroup/unified rw,nosuid,nodev,noexec shared:10 - cgroup2 cgroup2 rw,nsdelegate",
            "27 25 0:24 / /sys/fs/cgroup/systemd rw,nosuid shared:11 - cgroup cgroup rw,xattr,name=systemd",
            "30 25 0:27 / /sys/fs/cgroup/cpu,cpuacct rw,nosuid shared:14 - cgroup cgroup rw,cpu,cpuacct",
            "31 25 0:28 / /sys/fs/cgroup/memory rw,nosuid shared:15 - cgroup cgroup rw,memory",
            "32 25 0:29 / /sys/fs/cgroup/net_cls,net_prio rw,nosuid shared:16 - cgroup cgroup rw,net_cls,net_prio",
            "33 25 0:30 / /sys/fs/cgroup/devices rw,nosuid shared:17 - cgroup cgroup rw,devices",
            "90 20 0:28 /user.slice /mnt/elsewhere rw - cgroup cgroup rw,memory");

    private final CgroupV1Manager manager = new CgroupV1Manager(Hierarchy.parse(CGROUP, MOUNTINFO));

    @Test
    void findsEachHierarchyAtItsMountUnderSysFsCgroupWithThisProcesssGroup() {
        List<Hierarchy> h = Hierarchy.parse(CGROUP, MOUNTINFO);
        assertEquals(List.of(new Hierarchy("cpu,cpuacct", Path.of("/sys/fs/cgroup/cpu,cpuacct"), Path.of("/sys/fs/cgroup/cpu,cpuacct/user.slice")),
                new Hierarchy("memory", Path.of("/sys/fs/cgroup/memory"), Path.of("/sys/fs/cgroup/memory/user.slice/session-1.scope")),
                new Hierarchy("name=systemd", Path.of("/sys/fs/cgroup/systemd"), Path.of("/sys/fs/cgroup/systemd/user.slice/session-1.scope")),
                new Hierarchy("net_cls,net_prio", Path.of("/sys/fs/cgroup/net_cls,net_prio"), Path.of("/sys/fs/cgroup/net_cls,net_prio")),
                new Hierarchy("devices", Path.of("/sys/fs/cgroup/devices"), Path.of("/sys/fs/cgroup/devices/user.slice"))), h);
    }

    @Test
    void ownNamespaceMountsEachHierarchyAfreshThenMakesTheTmpfsReadOnlyAfterTheLinks() {
        CgroupView v = manager.view("c1", "/sys/fs/cgroup", true, true);
        Mount tmpfs = v.mounts().get(0);
        assertEquals(new Mount("tmpfs", "/sys/fs/cgroup", "tmpfs", java.util.Set.of(MountFlag.NOSUID, MountFlag.NODEV, MountFlag.NOEXEC), "mode=755"), tmpfs);
        assertEquals(new Mount("cgroup", "/sys/fs/cgroup/cpu,cpuacct", "cgroup",
                java.util.Set.of(MountFlag.NOSUID, MountFlag.NODEV, MountFlag.NOEXEC, MountFlag.RDONLY), "cpu,cpuacct"), v.mounts().get(1));
        assertEquals(new Mount("systemd", "/sys/fs/cgroup/systemd", "cgroup",
                java.util.Set.of(MountFlag.NOSUID, MountFlag.NODEV, MountFlag.NOEXEC, MountFlag.RDONLY), "name=systemd"), v.mounts().get(3));
        Mount last = v.mounts().get(v.mounts().size() - 1);
        assertEquals("/sys/fs/cgroup", last.target());
        assertTrue(last.flags().containsAll(List.of(MountFlag.REMOUNT, MountFlag.BIND, MountFlag.RDONLY)), last.toString());
        assertEquals(7, v.mounts().size(), "tmpfs, five hierarchies, remount: " + v.mounts());
        assertEquals(List.of(new Symlink("cpu,cpuacct", "/sys/fs/cgroup/cpu"), new Symlink("cpu,cpuacct", "/sys/fs/cgroup/cpuacct"),
                new Symlink("net_cls,net_prio", "/sys/fs/cgroup/net_cls"), new Symlink("net_cls,net_prio", "/sys/fs/cgroup/net_prio")), v.symlinks());
    }

    @Test
    void hostNamespaceBindsTheContainersOwnGroupsAndPrivilegedLeavesThemWritable() {
        CgroupView v = manager.view("c1", "/sys/fs/cgroup", false, false);
        assertEquals(6, v.mounts().size(), "no read-only remount when writable: " + v.mounts());
        Mount memory = v.mounts().get(2);
        assertEquals("/sys/fs/cgroup/memory/user.slice/session-1.scope/nvjrun/c1", memory.source());
        assertEquals("/sys/fs/cgroup/memory", memory.target());
        assertEquals(java.util.Set.of(MountFlag.BIND, MountFlag.REC, MountFlag.NOSUID, MountFlag.NODEV, MountFlag.NOEXEC), memory.flags());
    }
}
