package dev.nvjrun.runtime.cgroup;

import dev.nvjrun.runtime.spec.CgroupResources;

import java.io.IOException;
import java.nio.file.Path;

/** One cgroup controller of one cgroup version: writes its part of the resources into a group. */
public interface CgroupController {
    /** The controller's kernel name (memory, cpu, pids, ...), also the v1 hierarchy it lives in. */
    String name();

    /**
     * Refuses, with a sentence for the user, values the kernel would refuse in a group under {@code parent},
     * before any group is created or written. Ranges that hold everywhere are checked by CgroupResources.
     */
    default void check(Path parent, CgroupResources resources) throws IOException {
    }

    void apply(Path group, CgroupResources resources) throws IOException;
}
