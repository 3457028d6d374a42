package dev.nvjrun.nvml;

/** {@code nvmlPcieUtilCounter_t}. */
public enum PcieCounter {
    TX_BYTES(0), RX_BYTES(1);

    private final int value;

    PcieCounter(int value) {
        this.value = value;
    }

    int value() {
        return value;
    }
}
