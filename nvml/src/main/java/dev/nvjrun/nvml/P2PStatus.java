package dev.nvjrun.nvml;

/** {@code nvmlGpuP2PStatus_t}. */
public enum P2PStatus {
    OK, CHIPSET_NOT_SUPPORTED, GPU_NOT_SUPPORTED, IOH_TOPOLOGY_NOT_SUPPORTED, DISABLED_BY_REGKEY,
    NOT_SUPPORTED, UNKNOWN;

    public static P2PStatus of(int value) {
        P2PStatus[] all = values();
        return value >= 0 && value < all.length ? all[value] : UNKNOWN;
    }
}
