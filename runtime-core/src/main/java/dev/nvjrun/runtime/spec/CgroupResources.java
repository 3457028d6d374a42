package dev.nvjrun.runtime.spec;

import java.util.List;

/**
 * Resource limits of a container. A null field leaves the kernel's default (unlimited). Memory in bytes;
 * memorySwap is memory plus swap as in Docker (-1 for unlimited swap); CPU quota and period in
 * microseconds; cpuShares in v1 units (2..262144, converted to a v2 weight); blkioWeight 10..1000.
 * Device rules are applied in order after a deny-all.
 */
public record CgroupResources(Long memoryBytes, Long memorySwapBytes, Long cpuQuotaMicros, Long cpuPeriodMicros,
                              Long cpuShares, String cpusetCpus, String cpusetMems, Long pidsLimit, Integer blkioWeight,
                              List<DeviceRule> deviceRules) {
    public static final CgroupResources UNLIMITED = new CgroupResources(null, null, null, null, null, null, null, null, null, List.of());

    public CgroupResources {
        deviceRules = List.copyOf(deviceRules);
        positive("memory", memoryBytes);
        positive("pids limit", pidsLimit);
        // The kernel's bounds for CFS bandwidth (cpu.cfs_*_us on v1, cpu.max on v2).
        if (cpuPeriodMicros != null && (cpuPeriodMicros < 1000 || cpuPeriodMicros > 1_000_000)) {
            throw new IllegalArgumentException("cpu period " + cpuPeriodMicros + " microseconds is out of range; use 1000 (1 ms) to 1000000 (1 s)");
        }
        if (cpuQuotaMicros != null && cpuQuotaMicros < 1000) {
            throw new IllegalArgumentException("cpu quota " + cpuQuotaMicros + " microseconds is below the kernel's minimum of 1000 (1 ms); give more CPU time");
        }
        if (memorySwapBytes != null && memorySwapBytes != -1 && (memoryBytes == null || memorySwapBytes < memoryBytes)) {
            throw new IllegalArgumentException("memory-swap " + memorySwapBytes + " needs a memory limit no larger than it; set --memory too or use -1 for unlimited swap");
        }
        if (blkioWeight != null && (blkioWeight < 10 || blkioWeight > 1000)) {
            throw new IllegalArgumentException("blkio weight " + blkioWeight + " is out of range; use a value from 10 to 1000");
        }
        if (cpuShares != null && (cpuShares < 2 || cpuShares > 262144)) {
            throw new IllegalArgumentException("cpu shares " + cpuShares + " is out of range; use a value from 2 to 262144");
        }
    }

    private static void positive(String what, Long value) {
        if (value != null && value <= 0) {
            throw new IllegalArgumentException(what + " " + value + " must be greater than zero");
        }
    }

    public CgroupResources withMemory(Long bytes, Long swapBytes) {
        return new CgroupResources(bytes, swapBytes, cpuQuotaMicros, cpuPeriodMicros, cpuShares, cpusetCpus, cpusetMems, pidsLimit, blkioWeight, deviceRules);
    }

    public CgroupResources withPidsLimit(Long limit) {
        return new CgroupResources(memoryBytes, memorySwapBytes, cpuQuotaMicros, cpuPeriodMicros, cpuShares, cpusetCpus, cpusetMems, limit, blkioWeight, deviceRules);
    }

    public CgroupResources withCpu(Long quotaMicros, Long periodMicros, Long shares, String cpus) {
        return new CgroupResources(memoryBytes, memorySwapBytes, quotaMicros, periodMicros, shares, cpus, cpusetMems, pidsLimit, blkioWeight, deviceRules);
    }

    public CgroupResources withCpusetMems(String mems) {
        return new CgroupResources(memoryBytes, memorySwapBytes, cpuQuotaMicros, cpuPeriodMicros, cpuShares, cpusetCpus, mems, pidsLimit, blkioWeight, deviceRules);
    }

    public CgroupResources withBlkioWeight(Integer weight) {
        return new CgroupResources(memoryBytes, memorySwapBytes, cpuQuotaMicros, cpuPeriodMicros, cpuShares, cpusetCpus, cpusetMems, pidsLimit, weight, deviceRules);
    }

    public CgroupResources withDeviceRules(List<DeviceRule> rules) {
        return new CgroupResources(memoryBytes, memorySwapBytes, cpuQuotaMicros, cpuPeriodMicros, cpuShares, cpusetCpus, cpusetMems, pidsLimit, blkioWeight, rules);
    }
}
