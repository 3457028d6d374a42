package dev.nvjrun.runtime.cgroup.v2;

import dev.nvjrun.runtime.cgroup.CgroupController;
import dev.nvjrun.runtime.cgroup.CgroupFiles;
import dev.nvjrun.runtime.spec.CgroupResources;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** io.weight (or io.bfq.weight), from Docker's blkio weight 10..1000 mapped onto 1..10000. */
final class Io implements CgroupController {
    public String name() {
        return "io";
    }

    public void apply(Path group, CgroupResources r) throws IOException {
        if (r.blkioWeight() == null) {
            return;
        }
        long weight = 1 + (r.blkioWeight() - 10L) * 9999 / 990;
        String file = Files.exists(group.resolve("io.weight")) ? "io.weight" : "io.bfq.weight";
        new CgroupFiles(group).write(file, "default " + weight);
    }
}
