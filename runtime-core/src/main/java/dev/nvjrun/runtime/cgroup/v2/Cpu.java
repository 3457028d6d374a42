package dev.nvjrun.runtime.cgroup.v2;

import dev.nvjrun.runtime.cgroup.CgroupController;
import dev.nvjrun.runtime.cgroup.CgroupFiles;
import dev.nvjrun.runtime.spec.CgroupResources;

import java.io.IOException;
import java.nio.file.Path;

/** cpu.max ("quota period") and cpu.weight, converted from v1 shares as runc does. */
final class Cpu implements CgroupController {
    public String name() {
        return "cpu";
    }

    public void apply(Path group, CgroupResources r) throws IOException {
        CgroupFiles f = new CgroupFiles(group);
        if (r.cpuQuotaMicros() != null || r.cpuPeriodMicros() != null) {
            String quota = r.cpuQuotaMicros() == null ? "max" : r.cpuQuotaMicros().toString();
            String period = r.cpuPeriodMicros() == null ? "100000" : r.cpuPeriodMicros().toString();
            f.write("cpu.max", quota + " " + period);
        }
        if (r.cpuShares() != null) {
            f.write("cpu.weight", Long.toString(weightOfShares(r.cpuShares())));
        }
    }

    /** Maps shares 2..262144 linearly onto weights 1..10000. */
    static long weightOfShares(long shares) {
        return 1 + ((shares - 2) * 9999) / 262142;
    }
}
