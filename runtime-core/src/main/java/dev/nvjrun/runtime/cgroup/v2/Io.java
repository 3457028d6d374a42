package dev.nvjrun.runtime.cgroup.v2;

import dev.nvjrun.runtime.cgroup.CgroupController;
import dev.nvjrun.runtime.cgroup.CgroupFiles;
import dev.nvjrun.runtime.spec.CgroupResources;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Docker's blkio weight (10..1000). BFQ's io.bfq.weight has the same scale and takes it as is; io.weight
 * (1..10000) takes it converted as runc and crun do: 1 + (weight - 10) * 9999 / 990. BFQ is preferred,
 * as by runc, since io.weight only acts where io.cost is configured.
 */
final class Io implements CgroupController {
    public String name() {
        return "io";
    }

    public void apply(Path group, CgroupResources r) throws IOException {
        if (r.blkioWeight() == null) {
            return;
        }
        CgroupFiles f = new CgroupFiles(group);
        if (Files.exists(group.resolve("io.bfq.weight"))) {
            f.write("io.bfq.weight", "default " + r.blkioWeight());
        } else if (Files.exists(group.resolve("io.weight"))) {
            f.write("io.weight", "default " + ioWeightOf(r.blkioWeight()));
        } else {
            throw new IOException("--blkio-weight needs io.weight or io.bfq.weight in " + group + ", and the kernel offers neither; drop the option");
        }
    }

    static long ioWeightOf(int blkioWeight) {
        return 1 + (blkioWeight - 10L) * 9999 / 990;
    }
}
