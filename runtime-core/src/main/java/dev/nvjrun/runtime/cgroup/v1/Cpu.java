package dev.nvjrun.runtime.cgroup.v1;

import dev.nvjrun.runtime.cgroup.CgroupController;
import dev.nvjrun.runtime.cgroup.CgroupFiles;
import dev.nvjrun.runtime.spec.CgroupResources;

import java.io.IOException;
import java.nio.file.Path;

/** cpu.cfs_period_us, cpu.cfs_quota_us and cpu.shares. */
final class Cpu implements CgroupController {
    public String name() {
        return "cpu";
    }

    public void apply(Path group, CgroupResources r) throws IOException {
        CgroupFiles f = new CgroupFiles(group);
        if (r.cpuPeriodMicros() != null) {
            f.write("cpu.cfs_period_us", r.cpuPeriodMicros().toString());
        }
        if (r.cpuQuotaMicros() != null) {
            f.write("cpu.cfs_quota_us", r.cpuQuotaMicros().toString());
        }
        if (r.cpuShares() != null) {
            f.write("cpu.shares", r.cpuShares().toString());
        }
    }
}
