package dev.nvjrun.nvml;

/** {@code nvmlDeviceArchitecture_t} (NVML_DEVICE_ARCH_*). */
public enum Architecture {
    KEPLER(2, "Kepler"), MAXWELL(3, "Maxwell"), PASCAL(4, "Pascal"), VOLTA(5, "Volta"),
    TURING(6, "Turing"), AMPERE(7, "Ampere"), ADA(8, "Ada"), HOPPER(9, "Hopper"),
    BLACKWELL(10, "Blackwell"),
    /** NVML_DEVICE_ARCH_UNKNOWN (0xffffffff) or anything newer than this list. */
    UNKNOWN(0xffffffff, "Unknown");

    private final int value;
    private final String displayName;

    Architecture(int value, String displayName) {
        this.value = value;
        this.displayName = displayName;
    }

    public String displayName() {
        return displayName;
    }

    public static Architecture of(int value) {
        for (Architecture a : values()) {
            if (a.value == value) {
                return a;
            }
        }
        return UNKNOWN;
    }
}
