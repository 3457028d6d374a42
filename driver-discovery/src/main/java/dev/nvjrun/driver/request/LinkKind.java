package dev.nvjrun.driver.request;

/** How two GPUs are connected, best first; the allocator prefers sets with better links. */
public enum LinkKind {
    /** NVLink between the two. */
    NVLINK,
    /** On the same board (NVML_TOPOLOGY_INTERNAL). */
    SAME_BOARD,
    /** Behind one PCIe switch (NVML_TOPOLOGY_SINGLE). */
    PCIE_SWITCH,
    /** Behind several PCIe switches, not through the host bridge (NVML_TOPOLOGY_MULTIPLE). */
    PCIE_SWITCHES,
    /** Through one host bridge (NVML_TOPOLOGY_HOSTBRIDGE). */
    HOST_BRIDGE,
    /** Through host bridges of one NUMA node (NVML_TOPOLOGY_NODE). */
    NUMA_NODE,
    /** Across NUMA nodes (NVML_TOPOLOGY_SYSTEM). */
    SYSTEM,
    /** Not reported. */
    UNKNOWN;

    /** The kind for an nvmlGpuTopologyLevel_t value (0, 10, 20, …, 50). */
    public static LinkKind ofNvmlLevel(int level) {
        return switch (level) {
            case 0 -> SAME_BOARD;
            case 10 -> PCIE_SWITCH;
            case 20 -> PCIE_SWITCHES;
            case 30 -> HOST_BRIDGE;
            case 40 -> NUMA_NODE;
            case 50 -> SYSTEM;
            default -> UNKNOWN;
        };
    }

    /** The cost of the link when choosing GPUs; lower is better. */
    int cost() {
        return ordinal();
    }
}
