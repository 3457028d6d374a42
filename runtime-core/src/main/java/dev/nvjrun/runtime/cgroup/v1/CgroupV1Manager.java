package dev.nvjrun.runtime.cgroup.v1;

import dev.nvjrun.runtime.cgroup.CgroupController;
import dev.nvjrun.runtime.cgroup.CgroupException;
import dev.nvjrun.runtime.cgroup.CgroupFiles;
import dev.nvjrun.runtime.cgroup.CgroupManager;
import dev.nvjrun.runtime.cgroup.ContainerCgroup;
import dev.nvjrun.runtime.spec.CgroupResources;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * cgroup v1: one group per hierarchy, each under the group this process lives in (which on hybrid hosts
 * differs per hierarchy), in {@code nvjrun/<id>}.
 */
public final class CgroupV1Manager implements CgroupManager {
    private static final List<String> HIERARCHIES = List.of("memory", "cpu", "cpuacct", "cpuset", "pids", "blkio", "devices", "freezer");
    private static final List<CgroupController> CONTROLLERS = List.of(new Memory(), new Cpu(), new Cpuset(), new Pids(), new Blkio(), new Devices());

    /** Hierarchy name to the directory of this process's own group in it. */
    private final Map<String, Path> parents;

    public CgroupV1Manager(Map<String, Path> parents) {
        this.parents = Map.copyOf(parents);
    }

    /** Reads /proc/self/cgroup to place containers under the groups this JVM lives in. */
    public static CgroupV1Manager forCurrentProcess() {
        Map<String, Path> parents = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/cgroup"))) {
                String[] f = line.split(":", 3);
                for (String controller : f[1].split(",")) {
                    Path dir = Path.of("/sys/fs/cgroup", controller);
                    if (HIERARCHIES.contains(controller) && Files.isDirectory(dir)) {
                        parents.put(controller, Path.of(dir + f[2]).normalize());
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read /proc/self/cgroup: " + e.getMessage(), e);
        }
        if (!parents.containsKey("memory") || !parents.containsKey("devices")) {
            throw new CgroupException("cgroup v1 hierarchies memory and devices are not mounted under /sys/fs/cgroup; mount them or boot with cgroup v2");
        }
        return new CgroupV1Manager(parents);
    }

    @Override
    public ContainerCgroup create(String containerId, CgroupResources resources) {
        List<Path> created = new ArrayList<>();
        try {
            for (Map.Entry<String, Path> e : parents.entrySet()) {
                Path parent = e.getValue().resolve("nvjrun");
                if (!Files.isDirectory(parent)) {
                    Files.createDirectories(parent);
                }
                if (e.getKey().equals("cpuset")) {
                    Cpuset.inheritFromParent(parent);
                }
                Path group = parent.resolve(containerId);
                Files.createDirectory(group);
                created.add(group);
                for (CgroupController c : CONTROLLERS) {
                    if (c.name().equals(e.getKey())) {
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
        return parents.values().stream().map(p -> p.resolve("nvjrun").resolve(containerId)).toList();
    }

    @Override
    public ContainerCgroup find(String containerId) {
        return new ContainerCgroup(containerId, groups(containerId).stream().filter(Files::isDirectory).toList());
    }

    @Override
    public boolean oomKilled(String containerId) {
        Path memory = parents.get("memory").resolve("nvjrun").resolve(containerId);
        return new CgroupFiles(memory).keyed("memory.oom_control", "oom_kill").orElse(0) > 0;
    }

    @Override
    public List<Integer> pids(String containerId) {
        return new CgroupFiles(parents.get("memory").resolve("nvjrun").resolve(containerId)).pids();
    }

    @Override
    public void remove(String containerId) {
        groups(containerId).forEach(g -> new CgroupFiles(g).killAndRemove());
    }
}
