package dev.nvjrun.runtime.cgroup.v1;

import dev.nvjrun.runtime.cgroup.CgroupController;
import dev.nvjrun.runtime.cgroup.CgroupFiles;
import dev.nvjrun.runtime.cgroup.CpuList;
import dev.nvjrun.runtime.spec.CgroupResources;

import java.io.IOException;
import java.nio.file.Path;

/** cpuset.cpus and cpuset.mems; a v1 cpuset group accepts no task until both are set, so they start as the parent's. */
final class Cpuset implements CgroupController {
    public String name() {
        return "cpuset";
    }

    @Override
    public void check(Path parent, CgroupResources r) throws IOException {
        CpuList.requireWithin("--cpuset-cpus", r.cpusetCpus(), parent.resolve("cpuset.effective_cpus"));
        CpuList.requireWithin("--cpuset-mems", r.cpusetMems(), parent.resolve("cpuset.effective_mems"));
    }

    public void apply(Path group, CgroupResources r) throws IOException {
        inheritFromParent(group);
        CgroupFiles f = new CgroupFiles(group);
        if (r.cpusetCpus() != null) {
            f.write("cpuset.cpus", r.cpusetCpus());
        }
        if (r.cpusetMems() != null) {
            f.write("cpuset.mems", r.cpusetMems());
        }
    }

    static void inheritFromParent(Path group) throws IOException {
        CgroupFiles parent = new CgroupFiles(group.getParent());
        CgroupFiles f = new CgroupFiles(group);
        for (String file : new String[] {"cpuset.cpus", "cpuset.mems"}) {
            if (f.read(file).isEmpty()) {
                f.write(file, parent.read(file));
            }
        }
    }
}
