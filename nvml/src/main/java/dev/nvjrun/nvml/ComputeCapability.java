package dev.nvjrun.nvml;

import java.util.Optional;

/** CUDA compute capability, e.g. 8.0 for an A100. */
public record ComputeCapability(int major, int minor) {

    /** The GPU family as CUDA names it (nvidia-docker 1.0's "Family"), empty when unknown. */
    public Optional<String> family() {
        String family = switch (major) {
            case 1 -> "Tesla";
            case 2 -> "Fermi";
            case 3 -> "Kepler";
            case 5 -> "Maxwell";
            case 6 -> "Pascal";
            case 7 -> minor >= 5 ? "Turing" : "Volta";
            case 8 -> minor >= 9 ? "Ada" : "Ampere";
            case 9 -> "Hopper";
            case 10, 12 -> "Blackwell";
            default -> null;
        };
        return Optional.ofNullable(family);
    }

    @Override
    public String toString() {
        return major + "." + minor;
    }
}
