package dev.nvjrun.driver.request;

import java.util.List;

/** Which GPUs a container gets. */
public sealed interface GpuSelector {

    /** Every GPU of the host ({@code all}). */
    record All() implements GpuSelector {
    }

    /** No GPU, but still the control devices and the driver files ({@code none}). */
    record None() implements GpuSelector {
    }

    /** Not a GPU container at all: nothing is added ({@code void}, an empty value, or no request). */
    record Void() implements GpuSelector {
    }

    /** {@code count} GPUs that the allocator picks. */
    record Count(int count) implements GpuSelector {
        public Count {
            if (count < 0) {
                throw new IllegalArgumentException("a GPU count cannot be negative: " + count);
            }
        }
    }

    /** The named GPUs or MIG devices, in the order given, always honoured. */
    record Devices(List<DeviceId> ids) implements GpuSelector {
        public Devices {
            ids = List.copyOf(ids);
            if (ids.isEmpty()) {
                throw new IllegalArgumentException("a device list needs at least one id");
            }
        }
    }

    GpuSelector ALL = new All();
    GpuSelector NONE = new None();
    GpuSelector VOID = new Void();
}
