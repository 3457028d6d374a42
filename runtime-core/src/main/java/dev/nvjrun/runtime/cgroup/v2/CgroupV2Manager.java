package dev.nvjrun.runtime.cgroup.v2;

import dev.nvjrun.runtime.cgroup.CgroupController;
import dev.nvjrun.runtime.cgroup.CgroupException;
import dev.nvjrun.runtime.cgroup.CgroupFiles;
import dev.nvjrun.runtime.cgroup.CgroupManager;
import dev.nvjrun.runtime.cgroup.CgroupView;
import dev.nvjrun.runtime.cgroup.ContainerCgroup;
import dev.nvjrun.runtime.cgroup.JoinReadiness;
import dev.nvjrun.runtime.spec.CgroupResources;
import dev.nvjrun.runtime.spec.Mount;
import dev.nvjrun.runtime.spec.MountFlag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * cgroup v2: a single group {@code <parent>/nvjrun/<id>}. Controllers are enabled in the parents'
 * cgroup.subtree_control as far as the kernel offers them; a limit whose controller is not available
 * is an error rather than silently ignored. Device rules become an eBPF program ({@link DeviceProgram}).
 */
public final class CgroupV2Manager implements CgroupManager {
    private static final Logger LOG = LoggerFactory.getLogger(CgroupV2Manager.class);
    private static final List<CgroupController> CONTROLLERS = List.of(new Memory(), new Cpu(), new Cpuset(), new Pids(), new Io());

    private final Path parent;
    private final Path ownGroup;

    /** @param parent the group containers go under (its nvjrun/ child is created on first use) */
    public CgroupV2Manager(Path parent) {
        this(parent, null);
    }

    private CgroupV2Manager(Path parent, Path ownGroup) {
        this.parent = parent;
        this.ownGroup = ownGroup;
    }

    /**
     * Containers under {@code mount}, the cgroup2 mount's root, for a process that knows its own group there (from
     * /proc/self/cgroup), which {@link #prepareJoin} needs; without it ({@link #CgroupV2Manager(Path)}) that does nothing.
     */
    public static CgroupV2Manager forCurrentProcess(Path mount) {
        Path own = null;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/cgroup"))) {
                if (line.startsWith("0::/")) {
                    own = mount.resolve(line.substring(4)).normalize();
                }
            }
        } catch (IOException e) {
            LOG.debug("cannot read /proc/self/cgroup: {}", e.getMessage());
        }
        return new CgroupV2Manager(mount, own);
    }

    @Override
    public ContainerCgroup create(String containerId, CgroupResources resources) {
        Path nvjrun = parent.resolve("nvjrun");
        Path group = nvjrun.resolve(containerId);
        boolean made = false;
        try {
            // Everything the kernel would refuse is refused before the first write.
            Set<String> offered = words(new CgroupFiles(parent).read("cgroup.controllers"));
            for (CgroupController c : CONTROLLERS) {
                if (requested(c.name(), resources) && !offered.contains(c.name())) {
                    throw new IOException("the " + c.name() + " controller is not available in " + parent
                            + " (it may be bound to a cgroup v1 hierarchy); drop that limit or enable the controller");
                }
                c.check(parent, resources);
            }
            if (!Files.isDirectory(nvjrun)) {
                Files.createDirectories(nvjrun);
            }
            // The container's group gets what its parent, nvjrun/, hands down.
            Set<String> available = enableControllers(nvjrun, enableControllers(parent, offered));
            Files.createDirectory(group);
            made = true;
            for (CgroupController c : CONTROLLERS) {
                if (available.contains(c.name())) {
                    c.apply(group, resources);
                } else if (requested(c.name(), resources)) {
                    throw new IOException("the " + c.name() + " controller could not be enabled in " + parent
                            + "/cgroup.subtree_control (a group with processes cannot hand controllers down); drop that limit");
                }
            }
            if (!resources.deviceRules().isEmpty()) {
                DeviceProgram.attach(group, resources.deviceRules());
            }
            return new ContainerCgroup(containerId, List.of(group));
        } catch (IOException | RuntimeException e) {
            if (made) {
                new CgroupFiles(group).killAndRemove();
            }
            throw new CgroupException("cannot set up the cgroup of container " + containerId + ": " + e.getMessage(), e);
        }
    }

    private static boolean requested(String controller, CgroupResources r) {
        return switch (controller) {
            case "memory" -> r.memoryBytes() != null;
            case "cpu" -> r.cpuQuotaMicros() != null || r.cpuPeriodMicros() != null || r.cpuShares() != null;
            case "cpuset" -> r.cpusetCpus() != null || r.cpusetMems() != null;
            case "pids" -> r.pidsLimit() != null;
            case "io" -> r.blkioWeight() != null;
            default -> false;
        };
    }

    private static Set<String> words(String line) {
        return Arrays.stream(line.split(" ")).filter(s -> !s.isEmpty()).collect(Collectors.toSet());
    }

    /**
     * Turns on, for the children of {@code group}, each of {@code controllers} (one write each, so one the
     * kernel refuses does not take the others with it, as runc does); returns those now enabled.
     */
    private static Set<String> enableControllers(Path group, Set<String> controllers) throws IOException {
        CgroupFiles f = new CgroupFiles(group);
        Set<String> enabled = words(f.read("cgroup.subtree_control"));
        for (String c : controllers.stream().sorted().toList()) {
            if (enabled.contains(c)) {
                continue;
            }
            try {
                f.write("cgroup.subtree_control", "+" + c);
            } catch (IOException e) {
                LOG.debug("cannot enable {} in {}: {}", c, group, e.getMessage());
            }
        }
        return words(f.read("cgroup.subtree_control"));
    }

    /**
     * One cgroup2 mount: in the container's own cgroup namespace its root is the container's group; in
     * the host's namespace the container's group is bound there instead (a fresh mount would show the
     * whole host tree).
     */
    @Override
    public CgroupView view(String containerId, String target, boolean ownNamespace, boolean readOnly) {
        Set<MountFlag> flags = EnumSet.of(MountFlag.NOSUID, MountFlag.NODEV, MountFlag.NOEXEC);
        if (readOnly) {
            flags.add(MountFlag.RDONLY);
        }
        if (ownNamespace) {
            return new CgroupView(List.of(new Mount("cgroup2", target, "cgroup2", flags, "")), List.of());
        }
        flags.addAll(Set.of(MountFlag.BIND, MountFlag.REC));
        return new CgroupView(List.of(new Mount(parent.resolve("nvjrun").resolve(containerId).toString(), target, "bind", flags, "")), List.of());
    }

    @Override
    public ContainerCgroup find(String containerId) {
        Path group = parent.resolve("nvjrun").resolve(containerId);
        return new ContainerCgroup(containerId, Files.isDirectory(group) ? List.of(group) : List.of());
    }

    @Override
    public boolean oomKilled(String containerId) {
        return new CgroupFiles(parent.resolve("nvjrun").resolve(containerId)).keyed("memory.events", "oom_kill").orElse(0) > 0;
    }

    @Override
    public List<Integer> pids(String containerId) {
        return new CgroupFiles(parent.resolve("nvjrun").resolve(containerId)).pids();
    }

    @Override
    public void prepareJoin() {
        if (ownGroup != null) {
            JoinReadiness.take(ownGroup);
        }
    }

    @Override
    public void remove(String containerId) {
        new CgroupFiles(parent.resolve("nvjrun").resolve(containerId)).killAndRemove();
    }
}
