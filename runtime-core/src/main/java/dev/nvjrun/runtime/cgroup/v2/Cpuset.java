package dev.nvjrun.runtime.cgroup.v2;

import dev.nvjrun.runtime.cgroup.CgroupController;
import dev.nvjrun.runtime.cgroup.CgroupFiles;
import dev.nvjrun.runtime.cgroup.CpuList;
import dev.nvjrun.runtime.spec.CgroupResources;

import java.io.IOException;
import java.nio.file.Path;

/** cpuset.cpus and cpuset.mems. */
final class Cpuset implements CgroupController {
    public String name() {
        return "cpuset";
    }

    @Override
    public void check(Path parent, CgroupResources r) throws IOException {
        CpuList.requireWithin("--cpuset-cpus", r.cpusetCpus(), parent.resolve("cpuset.cpus.effective"));
        CpuList.requireWithin("--cpuset-mems", r.cpusetMems(), parent.resolve("cpuset.mems.effective"));
    }

    public void apply(Path group, CgroupResources r) throws IOException {
        CgroupFiles f = new CgroupFiles(group);
        if (r.cpusetCpus() != null) {
            f.write("cpuset.cpus", r.cpusetCpus());
        }
        if (r.cpusetMems() != null) {
            f.write("cpuset.mems", r.cpusetMems());
        }
    }
}
