package dev.nvjrun.nvml;

/** {@code nvmlMemoryErrorType_t}: corrected (single-bit ECC) or uncorrected (double-bit ECC). */
public enum MemoryErrorType {
    CORRECTED(0), UNCORRECTED(1);

    private final int value;

    MemoryErrorType(int value) {
        this.value = value;
    }

    int value() {
        return value;
    }
}
