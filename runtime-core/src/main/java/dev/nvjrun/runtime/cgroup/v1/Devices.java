package dev.nvjrun.runtime.cgroup.v1;

import dev.nvjrun.runtime.cgroup.CgroupController;
import dev.nvjrun.runtime.cgroup.CgroupFiles;
import dev.nvjrun.runtime.spec.CgroupResources;
import dev.nvjrun.runtime.spec.DeviceRule;

import java.io.IOException;
import java.nio.file.Path;

/** devices.deny of everything, then the spec's rules in order through devices.allow / devices.deny. */
final class Devices implements CgroupController {
    public String name() {
        return "devices";
    }

    public void apply(Path group, CgroupResources r) throws IOException {
        CgroupFiles f = new CgroupFiles(group);
        f.write("devices.deny", "a");
        for (DeviceRule rule : r.deviceRules()) {
            f.write(rule.allow() ? "devices.allow" : "devices.deny", rule.cgroupV1Line());
        }
    }
}
