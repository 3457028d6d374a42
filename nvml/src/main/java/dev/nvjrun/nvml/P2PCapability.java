package dev.nvjrun.nvml;

/** {@code nvmlGpuP2PCapsIndex_t}. */
public enum P2PCapability {
    READ(0), WRITE(1), NVLINK(2), ATOMICS(3), PROP(4);

    private final int value;

    P2PCapability(int value) {
        this.value = value;
    }

    int value() {
        return value;
    }
}
