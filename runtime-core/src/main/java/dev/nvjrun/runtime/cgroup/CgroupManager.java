package dev.nvjrun.runtime.cgroup;

import dev.nvjrun.runtime.cgroup.v1.CgroupV1Manager;
import dev.nvjrun.runtime.cgroup.v2.CgroupV2Manager;
import dev.nvjrun.runtime.spec.CgroupResources;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Containers' cgroups under an {@code nvjrun/} parent group, for one cgroup version. Chosen once at
 * start-up with {@link #detect()}.
 */
public interface CgroupManager {
    /** Creates the container's groups with its resources applied; a failure leaves no group behind. */
    ContainerCgroup create(String containerId, CgroupResources resources);

    /** The existing groups of a container (for exec to join). */
    ContainerCgroup find(String containerId);

    /**
     * The mounts (and links) that show the container its own groups at {@code target} (Docker's
     * /sys/fs/cgroup). With {@code ownNamespace} they are mounted inside the container's cgroup namespace,
     * so the helper must enter it before mounting them, which it does (see the native README).
     */
    CgroupView view(String containerId, String target, boolean ownNamespace, boolean readOnly);

    /** Whether the kernel's OOM killer killed a process of this container. */
    boolean oomKilled(String containerId);

    /** Host pids of every process still in the container's groups. */
    List<Integer> pids(String containerId);

    /** Kills what is left in the container's groups and removes them; removing a missing group is fine. */
    void remove(String containerId);

    /**
     * Readies the host for a container's process to join its groups within the next milliseconds: takes the kernel's
     * wait for a first cgroup migration now ({@link JoinReadiness}) by writing this process into a group it is in.
     * Blocks for up to about 10 ms, so callers run it on a thread of their own, while they finish the container's
     * spec. Best effort and without effect on any group; a manager that does not know this process's group does nothing.
     */
    void prepareJoin();

    /** The manager for the cgroup version this host mounts at /sys/fs/cgroup. */
    static CgroupManager detect() {
        // On v2, groups with processes cannot delegate controllers, so containers go under the root
        // (exempt from that rule), as with Docker's cgroupfs driver: /sys/fs/cgroup/nvjrun/<id>.
        return hostIsUnified() ? CgroupV2Manager.forCurrentProcess(Path.of("/sys/fs/cgroup")) : CgroupV1Manager.forCurrentProcess();
    }

    /** Whether /sys/fs/cgroup is a cgroup2 mount (a v2 host) rather than v1's tmpfs of hierarchies. */
    static boolean hostIsUnified() {
        try {
            List<String> mountinfo = Files.readAllLines(Path.of("/proc/self/mountinfo"));
            return mountinfo.stream().map(l -> l.split(" ")).anyMatch(f -> f.length > 4 && f[4].equals("/sys/fs/cgroup")
                    && List.of(f).subList(f.length - 3, f.length).contains("cgroup2"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read /proc/self/mountinfo to find the cgroup version: " + e.getMessage(), e);
        }
    }
}
