package dev.nvjrun.runtime.cgroup;

import java.nio.file.Path;
import java.util.List;

/** The groups of one container: one per v1 hierarchy, a single one on v2. */
public record ContainerCgroup(String containerId, List<Path> directories) {
    public ContainerCgroup {
        directories = List.copyOf(directories);
    }
}
