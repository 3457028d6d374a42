package dev.nvjrun.nvml;

/** {@code nvmlBrandType_t}. */
public enum Brand {
    UNKNOWN(0), QUADRO(1), TESLA(2), NVS(3), GRID(4), GEFORCE(5), TITAN(6),
    NVIDIA_VAPPS(7), NVIDIA_VPC(8), NVIDIA_VCS(9), NVIDIA_VWS(10), NVIDIA_CLOUD_GAMING(11),
    QUADRO_RTX(12), NVIDIA_RTX(13), NVIDIA(14), GEFORCE_RTX(15), TITAN_RTX(16);

    private final int value;

    Brand(int value) {
        this.value = value;
    }

    /** The nvmlBrandType_t number. */
    public int value() {
        return value;
    }

    public static Brand of(int value) {
        for (Brand b : values()) {
            if (b.value == value) {
                return b;
            }
        }
        return UNKNOWN;
    }
}
