package dev.nvjrun.driver.version;

import java.util.Optional;

/**
 * Checks that the loaded kernel module, the library NVML reports and the driver's library files
 * are one driver version. After a driver upgrade without a reboot they differ, and CUDA then fails
 * with the obscure "driver/library version mismatch"; this says what to do instead.
 *
 * @param kernelModule version of the loaded kernel module (/proc/driver/nvidia/version)
 * @param nvml version reported by nvmlSystemGetDriverVersion
 * @param libraries version in the file names of the driver libraries (libnvidia-ml.so.VERSION)
 */
public record DriverVersionCheck(String kernelModule, String nvml, String libraries) {

    private static final String RELOAD = "Reboot, or reload the nvidia kernel module "
            + "(rmmod nvidia_uvm nvidia_drm nvidia_modeset nvidia; modprobe nvidia)";

    /** The problem in one sentence, or empty when all three agree. */
    public Optional<String> problem() {
        if (!kernelModule.equals(libraries)) {
            return Optional.of("NVIDIA driver version mismatch: the loaded kernel module is " + kernelModule
                    + " but the installed driver libraries are " + libraries + ". " + RELOAD
                    + " so that the module matches the libraries");
        }
        if (!nvml.equals(kernelModule)) {
            return Optional.of("NVIDIA driver version mismatch: NVML reports " + nvml + " but the loaded kernel module is "
                    + kernelModule + ". " + RELOAD + ", or point --driver-root at the driver of version " + kernelModule);
        }
        return Optional.empty();
    }

    /** Throws with the sentence of {@link #problem()} when the versions disagree. */
    public void verify() throws DriverVersionMismatchException {
        Optional<String> problem = problem();
        if (problem.isPresent()) {
            throw new DriverVersionMismatchException(problem.get());
        }
    }
}
