package dev.nvjrun.runtime.cgroup.v1;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One mounted cgroup v1 hierarchy. {@code option} is what /proc/self/cgroup names it by and what mounting
 * it again takes ({@code memory}, {@code cpu,cpuacct}, {@code name=systemd}); {@code ownGroup} is the
 * group this process is in, under which containers' groups go.
 */
public record Hierarchy(String option, Path mountPoint, Path ownGroup) {
    private static final Path CGROUP_ROOT = Path.of("/sys/fs/cgroup");

    public boolean has(String controller) {
        return List.of(option.split(",")).contains(controller);
    }

    /** The directory name a container sees it under in /sys/fs/cgroup: the host's mount point's name. */
    public String directoryName() {
        return mountPoint.getFileName().toString();
    }

    Path containerGroup(String containerId) {
        return ownGroup.resolve("nvjrun").resolve(containerId);
    }

    /**
     * The v1 hierarchies a process is in, from its /proc/PID/cgroup and /proc/PID/mountinfo lines. A
     * hierarchy mounted more than once is taken at its mount under /sys/fs/cgroup; one whose mounts do not
     * reach the process's group (a mount of a subtree elsewhere) is left out.
     */
    public static List<Hierarchy> parse(List<String> cgroupLines, List<String> mountinfo) {
        List<Hierarchy> found = new ArrayList<>();
        for (String line : cgroupLines) {
            String[] f = line.split(":", 3);
            if (f.length != 3 || f[1].isEmpty()) {
                continue; // the v2 line "0::/path"
            }
            Set<String> wanted = Set.copyOf(List.of(f[1].split(",")));
            mountinfo.stream().map(MountinfoLine::parse).flatMap(Optional::stream)
                    .filter(m -> m.fstype().equals("cgroup") && m.superOptions().containsAll(wanted))
                    .filter(m -> f[2].equals(m.root()) || f[2].startsWith(m.root().equals("/") ? "/" : m.root() + "/"))
                    .min(Comparator.comparing((MountinfoLine m) -> !m.mountPoint().startsWith(CGROUP_ROOT)))
                    .ifPresent(m -> found.add(new Hierarchy(f[1], m.mountPoint(),
                            Path.of(m.mountPoint() + "/" + f[2].substring(m.root().length())).normalize())));
        }
        return found;
    }

    private record MountinfoLine(String root, Path mountPoint, String fstype, Set<String> superOptions) {
        static Optional<MountinfoLine> parse(String line) {
            int dash = line.indexOf(" - ");
            if (dash < 0) {
                return Optional.empty();
            }
            String[] left = line.substring(0, dash).split(" ");
            String[] right = line.substring(dash + 3).split(" ");
            if (left.length < 5 || right.length < 3) {
                return Optional.empty();
            }
            return Optional.of(new MountinfoLine(left[3], Path.of(left[4]), right[0], Set.copyOf(List.of(right[2].split(",")))));
        }
    }
}
