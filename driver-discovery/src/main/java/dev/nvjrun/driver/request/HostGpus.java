package dev.nvjrun.driver.request;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/** What a GPU request is resolved against: the driver's versions and the GPUs, in index order. */
public record HostGpus(HostDriver driver, List<HostGpu> gpus) {

    public HostGpus {
        Objects.requireNonNull(driver, "driver");
        gpus = List.copyOf(gpus);
    }

    /** "GPUs 0 (GPU-…), 1 (GPU-…)" or "no GPUs", for messages. */
    String describeGpus() {
        if (gpus.isEmpty()) {
            return "no GPUs";
        }
        return "GPUs " + gpus.stream().map(g -> g.index() + " (" + g.uuid() + ")").collect(Collectors.joining(", "));
    }
}
