package dev.nvjrun.runtime.cgroup.v1;

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
import dev.nvjrun.runtime.spec.Symlink;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * cgroup v1: one group per mounted hierarchy (every one, as runc does, so that a container shown its
 * cgroups sees only its own), each under the group this process lives in (which on hybrid hosts differs
 * per hierarchy), in {@code nvjrun/<id>}.
 */
public final class CgroupV1Manager implements CgroupManager {
    private static final List<CgroupController> CONTROLLERS = List.of(new Memory(), new Cpu(), new Cpuset(), new Pids(), new Blkio(), new Devices());

    private final List<Hierarchy> hierarchies;

    public CgroupV1Manager(List<Hierarchy> hierarchies) {
        this.hierarchies = List.copyOf(hierarchies);
        if (hierarchy("memory") == null || hierarchy("devices") == null) {
            throw new CgroupException("cgroup v1 hierarchies memory and devices are not mounted under /sys/fs/cgroup; mount them or boot with cgroup v2");
        }
    }

    /** Reads /proc/self/cgroup and /proc/self/mountinfo to place containers under the groups this JVM lives in. */
    public static CgroupV1Manager forCurrentProcess() {
        try {
            return new CgroupV1Manager(Hierarchy.parse(Files.readAllLines(Path.of("/proc/self/cgroup")),
                    Files.readAllLines(Path.of("/proc/self/mountinfo"))));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read /proc/self/cgroup or /proc/self/mountinfo: " + e.getMessage(), e);
        }
    }

    private Hierarchy hierarchy(String controller) {
        return hierarchies.stream().filter(h -> h.has(controller)).findFirst().orElse(null);
    }

    @Override
    public ContainerCgroup create(String containerId, CgroupResources resources) {
        List<Path> created = new ArrayList<>();
        try {
            for (Hierarchy h : hierarchies) {
                for (CgroupController c : CONTROLLERS) {
                    if (h.has(c.name())) {
                        c.check(h.ownGroup(), resources);
                    }
                }
            }
            for (Hierarchy h : hierarchies) {
                Path parent = h.ownGroup().resolve("nvjrun");
                if (!Files.isDirectory(parent)) {
                    Files.createDirectories(parent);
                }
                if (h.has("cpuset")) {
                    Cpuset.inheritFromParent(parent);
                }
                Path group = h.containerGroup(containerId);
                Files.createDirectory(group);
                created.add(group);
                for (CgroupController c : CONTROLLERS) {
                    if (h.has(c.name())) {
                        c.apply(group, resources);
                    }
                }
            }
            return new ContainerCgroup(containerId, created);
        } catch (IOException | RuntimeException e) {
            created.forEach(g -> new CgroupFiles(g).killAndRemove());
            throw new CgroupException("cannot set up the cgroups of container " + containerId + ": " + e.getMessage(), e);
        }
    }

    private List<Path> groups(String containerId) {
        return hierarchies.stream().map(h -> h.containerGroup(containerId)).toList();
    }

    @Override
    public ContainerCgroup find(String containerId) {
        return new ContainerCgroup(containerId, groups(containerId).stream().filter(Files::isDirectory).toList());
    }

    /**
     * Docker's (runc's) v1 view: a tmpfs with one directory per hierarchy, named as on the host. In a
     * cgroup namespace of its own each is a fresh cgroup mount, whose root the kernel makes the
     * namespace's (the container's group); in the host's namespace it is a bind of the container's group.
     * Co-mounted controllers get the host's links ({@code cpu -> cpu,cpuacct}); the tmpfs is made
     * read-only last, after the links exist.
     */
    @Override
    public CgroupView view(String containerId, String target, boolean ownNamespace, boolean readOnly) {
        Set<MountFlag> safe = EnumSet.of(MountFlag.NOSUID, MountFlag.NODEV, MountFlag.NOEXEC);
        Set<MountFlag> flags = EnumSet.copyOf(safe);
        if (readOnly) {
            flags.add(MountFlag.RDONLY);
        }
        List<Mount> mounts = new ArrayList<>();
        List<Symlink> links = new ArrayList<>();
        mounts.add(new Mount("tmpfs", target, "tmpfs", safe, "mode=755"));
        for (Hierarchy h : hierarchies) {
            String dir = target + "/" + h.directoryName();
            if (ownNamespace) {
                mounts.add(new Mount(h.option().startsWith("name=") ? h.option().substring(5) : "cgroup", dir, "cgroup", flags, h.option()));
            } else {
                Set<MountFlag> bind = EnumSet.copyOf(flags);
                bind.addAll(Set.of(MountFlag.BIND, MountFlag.REC));
                mounts.add(new Mount(h.containerGroup(containerId).toString(), dir, "bind", bind, ""));
            }
            if (h.directoryName().contains(",")) {
                for (String controller : h.directoryName().split(",")) {
                    boolean ownDirectory = hierarchies.stream().anyMatch(o -> o.directoryName().equals(controller));
                    if (!ownDirectory) {
                        links.add(new Symlink(h.directoryName(), target + "/" + controller));
                    }
                }
            }
        }
        if (readOnly) {
            Set<MountFlag> remount = EnumSet.copyOf(flags);
            remount.addAll(Set.of(MountFlag.REMOUNT, MountFlag.BIND));
            mounts.add(new Mount("tmpfs", target, "tmpfs", remount, ""));
        }
        return new CgroupView(mounts, links);
    }

    @Override
    public boolean oomKilled(String containerId) {
        return new CgroupFiles(hierarchy("memory").containerGroup(containerId)).keyed("memory.oom_control", "oom_kill").orElse(0) > 0;
    }

    @Override
    public List<Integer> pids(String containerId) {
        return new CgroupFiles(hierarchy("memory").containerGroup(containerId)).pids();
    }

    /** In the memory hierarchy, which every v1 host here has; any hierarchy would do, the lock is the kernel's one. */
    @Override
    public void prepareJoin() {
        JoinReadiness.take(hierarchy("memory").ownGroup());
    }

    @Override
    public void remove(String containerId) {
        groups(containerId).forEach(g -> new CgroupFiles(g).killAndRemove());
    }
}
