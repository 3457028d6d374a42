package dev.nvjrun.plugin.request;

import java.util.List;

/**
 * Which GPUs a container gets. Kept free of anything plugin-specific so that the lead can move it
 * to a module shared with the launcher ({@code nvjrun run --gpus} and {@code /docker/cli?dev=} must
 * never disagree).
 */
public sealed interface GpuSelector {

    /** Every GPU of the host. */
    record All() implements GpuSelector {
    }

    /** The first {@code count} GPUs by index. */
    record Count(int count) implements GpuSelector {
        public Count {
            if (count < 0) {
                throw new IllegalArgumentException("a GPU count cannot be negative: " + count);
            }
        }
    }

    /**
     * The named GPUs, in the order given.
     *
     * @param ids each an index ({@code 0}) or a prefix of a UUID ({@code GPU-8a3f})
     */
    record Devices(List<String> ids) implements GpuSelector {
        public Devices {
            ids = List.copyOf(ids);
        }
    }

    GpuSelector ALL = new All();
}
