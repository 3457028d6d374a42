package dev.nvjrun.nvml;

/** {@code nvmlClockType_t}; all clocks are in MHz. */
public enum ClockType {
    GRAPHICS(0), SM(1), MEMORY(2), VIDEO(3);

    private final int value;

    ClockType(int value) {
        this.value = value;
    }

    int value() {
        return value;
    }
}
