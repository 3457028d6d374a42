package dev.nvjrun.nvml;

/** {@code nvmlEccCounterType_t}: volatile counts reset when the driver loads, aggregate ones never. */
public enum EccCounterType {
    VOLATILE(0), AGGREGATE(1);

    private final int value;

    EccCounterType(int value) {
        this.value = value;
    }

    int value() {
        return value;
    }
}
