package dev.nvjrun.nvml;

import java.util.BitSet;

/** A set of CPUs, e.g. a GPU's ideal CPU affinity; {@link #toString()} gives the kernel's list form "0-15,32-47". */
public record CpuSet(BitSet cpus) {

    public CpuSet {
        cpus = (BitSet) cpus.clone();
    }

    /** From an array of 64-bit masks, CPU 0 in the lowest bit of the first word (nvmlDeviceGetCpuAffinity). */
    public static CpuSet fromMasks(long[] masks) {
        return new CpuSet(BitSet.valueOf(masks));
    }

    @Override
    public BitSet cpus() {
        return (BitSet) cpus.clone();
    }

    public boolean isEmpty() {
        return cpus.isEmpty();
    }

    @Override
    public String toString() {
        StringBuilder list = new StringBuilder();
        for (int first = cpus.nextSetBit(0); first >= 0; ) {
            int end = cpus.nextClearBit(first); // exclusive
            if (!list.isEmpty()) {
                list.append(',');
            }
            list.append(first);
            if (end - 1 > first) {
                list.append('-').append(end - 1);
            }
            first = cpus.nextSetBit(end);
        }
        return list.toString();
    }
}
