package dev.nvjrun.runtime.cgroup.v1;

import dev.nvjrun.runtime.cgroup.CgroupController;
import dev.nvjrun.runtime.cgroup.CgroupFiles;
import dev.nvjrun.runtime.spec.CgroupResources;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** blkio.weight, or blkio.bfq.weight on kernels whose only proportional scheduler is BFQ. */
final class Blkio implements CgroupController {
    public String name() {
        return "blkio";
    }

    public void apply(Path group, CgroupResources r) throws IOException {
        if (r.blkioWeight() == null) {
            return;
        }
        String file = Files.exists(group.resolve("blkio.weight")) ? "blkio.weight" : "blkio.bfq.weight";
        if (!Files.exists(group.resolve(file))) {
            throw new IOException("--blkio-weight needs a proportional I/O scheduler (CFQ or BFQ), and this kernel's blkio cgroup has neither; drop the option");
        }
        new CgroupFiles(group).write(file, r.blkioWeight().toString());
    }
}
