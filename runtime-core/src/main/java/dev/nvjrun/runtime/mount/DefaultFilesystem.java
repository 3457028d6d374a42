package dev.nvjrun.runtime.mount;

import dev.nvjrun.runtime.spec.DeviceNode;
import dev.nvjrun.runtime.spec.DeviceRule;
import dev.nvjrun.runtime.spec.DeviceType;
import dev.nvjrun.runtime.spec.Mount;
import dev.nvjrun.runtime.spec.MountFlag;
import dev.nvjrun.runtime.spec.Symlink;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static dev.nvjrun.runtime.spec.MountFlag.NODEV;
import static dev.nvjrun.runtime.spec.MountFlag.NOEXEC;
import static dev.nvjrun.runtime.spec.MountFlag.NOSUID;
import static dev.nvjrun.runtime.spec.MountFlag.RDONLY;

/** Docker's file system around a container's root: the same mounts, device nodes and masked paths. */
public final class DefaultFilesystem {
    /** moby's oci.DefaultSpec masked paths. */
    public static final List<String> MASKED_PATHS = List.of("/proc/asound", "/proc/acpi", "/proc/interrupts", "/proc/kcore",
            "/proc/keys", "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi",
            "/sys/firmware", "/sys/devices/virtual/powercap");

    public static final List<String> READONLY_PATHS = List.of("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger");

    public static final long DEFAULT_SHM_BYTES = 64L * 1024 * 1024;

    private DefaultFilesystem() {
    }

    /** Where containers see their cgroups. */
    public static final String CGROUP_TARGET = "/sys/fs/cgroup";

    /**
     * /proc, a tmpfs /dev, a private devpts, /dev/shm, /dev/mqueue, a read-only /sys and, as in Docker's
     * spec, a {@code cgroup} mount at /sys/fs/cgroup (read-write only when privileged) that the runtime
     * turns into the mounts showing the container its own groups ({@code CgroupManager.view}). Without its
     * own network namespace a container may not mount sysfs, so /sys is then a read-only bind of the host's.
     */
    public static List<Mount> mounts(long shmBytes, boolean ownNetwork, boolean privileged) {
        List<Mount> m = new ArrayList<>();
        m.add(new Mount("proc", "/proc", "proc", Set.of(NOSUID, NOEXEC, NODEV), ""));
        m.add(new Mount("tmpfs", "/dev", "tmpfs", Set.of(NOSUID, MountFlag.STRICTATIME), "mode=755,size=65536k"));
        m.add(new Mount("devpts", "/dev/pts", "devpts", Set.of(NOSUID, NOEXEC), "newinstance,ptmxmode=0666,mode=0620,gid=5"));
        m.add(new Mount("shm", "/dev/shm", "tmpfs", Set.of(NOSUID, NOEXEC, NODEV), "mode=1777,size=" + shmBytes));
        m.add(new Mount("mqueue", "/dev/mqueue", "mqueue", Set.of(NOSUID, NOEXEC, NODEV), ""));
        Set<MountFlag> sysFlags = privileged ? Set.of(NOSUID, NOEXEC, NODEV) : Set.of(NOSUID, NOEXEC, NODEV, RDONLY);
        m.add(ownNetwork ? new Mount("sysfs", "/sys", "sysfs", sysFlags, "")
                : new Mount("/sys", "/sys", "bind", union(sysFlags, Set.of(MountFlag.BIND, MountFlag.REC)), ""));
        m.add(new Mount("cgroup", CGROUP_TARGET, "cgroup", sysFlags, ""));
        return m;
    }

    /** The nodes every Docker container has in /dev. */
    public static List<DeviceNode> devices() {
        return List.of(DeviceNode.charDevice("/dev/null", 1, 3), DeviceNode.charDevice("/dev/zero", 1, 5),
                DeviceNode.charDevice("/dev/full", 1, 7), DeviceNode.charDevice("/dev/random", 1, 8),
                DeviceNode.charDevice("/dev/urandom", 1, 9), DeviceNode.charDevice("/dev/tty", 5, 0));
    }

    public static List<Symlink> symlinks() {
        return List.of(new Symlink("/proc/self/fd", "/dev/fd"), new Symlink("/proc/self/fd/0", "/dev/stdin"),
                new Symlink("/proc/self/fd/1", "/dev/stdout"), new Symlink("/proc/self/fd/2", "/dev/stderr"),
                new Symlink("pts/ptmx", "/dev/ptmx"), new Symlink("/proc/kcore", "/dev/core"));
    }

    /** Docker's default device cgroup rules (moby DefaultSimpleDevices plus mknod, pts, ptmx, tun). */
    public static List<DeviceRule> deviceRules() {
        List<DeviceRule> rules = new ArrayList<>();
        rules.add(new DeviceRule(true, DeviceType.CHAR, -1, -1, "m"));
        rules.add(new DeviceRule(true, DeviceType.BLOCK, -1, -1, "m"));
        devices().forEach(d -> rules.add(d.allowRule()));
        rules.add(new DeviceRule(true, DeviceType.CHAR, 5, 1, "rwm"));
        rules.add(new DeviceRule(true, DeviceType.CHAR, 136, -1, "rwm"));
        rules.add(new DeviceRule(true, DeviceType.CHAR, 5, 2, "rwm"));
        rules.add(new DeviceRule(true, DeviceType.CHAR, 10, 200, "rwm"));
        return rules;
    }

    private static Set<MountFlag> union(Set<MountFlag> a, Set<MountFlag> b) {
        Set<MountFlag> u = new java.util.HashSet<>(a);
        u.addAll(b);
        return u;
    }
}
