package dev.nvjrun.fakegpu;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What fake GPU host to build. {@link #defaults()} is two A100-SXM4-80GB GPUs on driver 550.54.15
 * with CUDA 12.4; the {@code with...} methods return changed copies. A {@code config} replaces
 * the generated gpus.json with a user-written one.
 */
public record HostSpec(int gpus, String model, String driverVersion, String cudaVersion, boolean mig,
                       boolean legacyDriver, boolean persistenced, Optional<Path> config) {

    public static final int MAX_GPUS = 64;
    private static final Pattern DRIVER_VERSION = Pattern.compile("\\d{3}\\.\\d{1,3}(\\.\\d{1,3})?");
    private static final Pattern CUDA_VERSION = Pattern.compile("\\d{1,2}\\.\\d");

    public HostSpec {
        Objects.requireNonNull(config, "config");
        if (gpus < 0 || gpus > MAX_GPUS) {
            throw new IllegalArgumentException("GPU count " + gpus + " is out of range; choose 0 to " + MAX_GPUS);
        }
        if (model == null || model.isBlank() || model.length() > 90 || model.chars().anyMatch(c -> c < 0x20)) {
            throw new IllegalArgumentException("GPU model '" + model
                    + "' is empty, longer than 90 characters or has control characters; give a name such as"
                    + " \"NVIDIA A100-SXM4-80GB\"");
        }
        if (driverVersion == null || !DRIVER_VERSION.matcher(driverVersion).matches()) {
            throw new IllegalArgumentException("driver version '" + driverVersion
                    + "' is not of the form 550.54.15; give major.minor[.patch] with a 3-digit major");
        }
        if (cudaVersion == null || !CUDA_VERSION.matcher(cudaVersion).matches()) {
            throw new IllegalArgumentException("CUDA version '" + cudaVersion
                    + "' is not of the form 12.4; give major.minor");
        }
    }

    public static HostSpec defaults() {
        return new HostSpec(2, "NVIDIA A100-SXM4-80GB", "550.54.15", "12.4", false, false, false, Optional.empty());
    }

    public HostSpec withGpus(int count) {
        return new HostSpec(count, model, driverVersion, cudaVersion, mig, legacyDriver, persistenced, config);
    }

    public HostSpec withModel(String name) {
        return new HostSpec(gpus, name, driverVersion, cudaVersion, mig, legacyDriver, persistenced, config);
    }

    public HostSpec withDriverVersion(String version) {
        return new HostSpec(gpus, model, version, cudaVersion, mig, legacyDriver, persistenced, config);
    }

    public HostSpec withCudaVersion(String version) {
        return new HostSpec(gpus, model, driverVersion, version, mig, legacyDriver, persistenced, config);
    }

    public HostSpec withMig(boolean enabled) {
        return new HostSpec(gpus, model, driverVersion, cudaVersion, enabled, legacyDriver, persistenced, config);
    }

    public HostSpec withLegacyDriver(boolean legacy) {
        return new HostSpec(gpus, model, driverVersion, cudaVersion, mig, legacy, persistenced, config);
    }

    public HostSpec withPersistenced(boolean socket) {
        return new HostSpec(gpus, model, driverVersion, cudaVersion, mig, legacyDriver, socket, config);
    }

    public HostSpec withConfig(Path gpusJson) {
        return new HostSpec(gpus, model, driverVersion, cudaVersion, mig, legacyDriver, persistenced,
                Optional.of(gpusJson));
    }

    /** The CUDA version as NVML reports it: 12.4 is 12040. */
    public int cudaDriverVersion() {
        String[] parts = cudaVersion.split("\\.");
        return Integer.parseInt(parts[0]) * 1000 + Integer.parseInt(parts[1]) * 10;
    }
}
