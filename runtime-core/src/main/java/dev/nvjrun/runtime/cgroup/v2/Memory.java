package dev.nvjrun.runtime.cgroup.v2;

import dev.nvjrun.runtime.cgroup.CgroupController;
import dev.nvjrun.runtime.cgroup.CgroupFiles;
import dev.nvjrun.runtime.spec.CgroupResources;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** memory.max and memory.swap.max (v2 counts swap alone, Docker's --memory-swap counts memory plus swap). */
final class Memory implements CgroupController {
    public String name() {
        return "memory";
    }

    public void apply(Path group, CgroupResources r) throws IOException {
        if (r.memoryBytes() == null) {
            return;
        }
        CgroupFiles f = new CgroupFiles(group);
        f.write("memory.max", r.memoryBytes().toString());
        if (Files.exists(group.resolve("memory.swap.max"))) {
            Long total = r.memorySwapBytes();
            String swap = total == null ? r.memoryBytes().toString() : total == -1 ? "max" : Long.toString(total - r.memoryBytes());
            f.write("memory.swap.max", swap);
        }
    }
}
