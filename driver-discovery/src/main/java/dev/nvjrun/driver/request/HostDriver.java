package dev.nvjrun.driver.request;

import java.util.Objects;

/**
 * The host driver's versions, as NVML reports them, for requirement checks and messages.
 *
 * @param driverVersion the kernel module's version, for example {@code 550.54.15}
 * @param cudaVersion   the newest CUDA the driver supports, for example {@code 12.4}
 */
public record HostDriver(String driverVersion, String cudaVersion) {

    public HostDriver {
        Objects.requireNonNull(driverVersion, "driverVersion");
        Objects.requireNonNull(cudaVersion, "cudaVersion");
    }

    /** NVML's nvmlSystemGetCudaDriverVersion value: 12040 is CUDA 12.4. */
    public static String cudaVersionOf(int nvmlCudaDriverVersion) {
        return nvmlCudaDriverVersion / 1000 + "." + nvmlCudaDriverVersion % 1000 / 10;
    }

    /** "driver 550.54.15 with CUDA 12.4", the words every request error uses for the host. */
    public String describe() {
        return "driver " + driverVersion + " with CUDA " + cudaVersion;
    }
}
