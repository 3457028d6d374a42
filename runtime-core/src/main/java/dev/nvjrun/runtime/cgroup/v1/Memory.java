package dev.nvjrun.runtime.cgroup.v1;

import dev.nvjrun.runtime.cgroup.CgroupController;
import dev.nvjrun.runtime.cgroup.CgroupFiles;
import dev.nvjrun.runtime.spec.CgroupResources;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** memory.limit_in_bytes and memory.memsw.limit_in_bytes (memory plus swap, when the kernel accounts swap). */
final class Memory implements CgroupController {
    public String name() {
        return "memory";
    }

    public void apply(Path group, CgroupResources r) throws IOException {
        CgroupFiles f = new CgroupFiles(group);
        if (r.memoryBytes() != null) {
            f.write("memory.limit_in_bytes", r.memoryBytes().toString());
            boolean swapAccounted = Files.exists(group.resolve("memory.memsw.limit_in_bytes"));
            if (swapAccounted) {
                // Docker's default: swap as large as memory when only --memory is given.
                long swap = r.memorySwapBytes() == null ? 2 * r.memoryBytes() : r.memorySwapBytes();
                f.write("memory.memsw.limit_in_bytes", Long.toString(swap));
            } else {
                // Without swap accounting, stop the group from swapping so the limit really holds.
                f.write("memory.swappiness", "0");
            }
        }
    }
}
