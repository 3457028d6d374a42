package dev.nvjrun.nvml;

import java.util.Optional;

/**
 * {@code nvmlGpuTopologyLevel_t}: the closest common ancestor of two GPUs, with the wording and
 * the link number that nvidia-docker 1.0 used for it.
 */
public enum TopologyLevel {
    INTERNAL(0, 6, "Same board"),
    SINGLE(10, 5, "Single PCI switch"),
    MULTIPLE(20, 4, "Multiple PCI switches"),
    HOSTBRIDGE(30, 3, "Host PCI bridge"),
    NODE(40, 2, "Same CPU socket"),
    SYSTEM(50, 1, "Cross CPU socket");

    private final int value;
    private final int legacyLink;
    private final String description;

    TopologyLevel(int value, int legacyLink, String description) {
        this.value = value;
        this.legacyLink = legacyLink;
        this.description = description;
    }

    /** The nvmlGpuTopologyLevel_t number. */
    public int value() {
        return value;
    }

    /** nvidia-docker 1.0's P2PLinkType number, as its JSON carried it. */
    public int legacyLink() {
        return legacyLink;
    }

    public String description() {
        return description;
    }

    /** Empty for a level this header does not know. */
    public static Optional<TopologyLevel> of(int value) {
        for (TopologyLevel t : values()) {
            if (t.value == value) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
