package dev.nvjrun.runtime.cgroup.v1;

import dev.nvjrun.runtime.cgroup.CgroupController;
import dev.nvjrun.runtime.cgroup.CgroupFiles;
import dev.nvjrun.runtime.spec.CgroupResources;

import java.io.IOException;
import java.nio.file.Path;

/** pids.max. */
final class Pids implements CgroupController {
    public String name() {
        return "pids";
    }

    public void apply(Path group, CgroupResources r) throws IOException {
        if (r.pidsLimit() != null) {
            new CgroupFiles(group).write("pids.max", r.pidsLimit().toString());
        }
    }
}
