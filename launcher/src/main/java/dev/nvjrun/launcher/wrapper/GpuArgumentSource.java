package dev.nvjrun.launcher.wrapper;

import java.util.List;

/** Where wrapper mode gets the GPU arguments: this host's NVML, or a remote plugin (NV_HOST). */
sealed interface GpuArgumentSource permits LocalGpuArguments, RemoteGpuArguments {

    /**
     * The docker arguments for these volumes and GPUs.
     *
     * @param volumes        the image's {@code com.nvidia.volumes.needed} names ({@code nvidia_driver})
     * @param gpus           NV_GPU's indexes or UUID prefixes; empty for all GPUs
     * @param imageCuda      the image's {@code com.nvidia.cuda.version}, or empty
     */
    List<String> arguments(List<String> volumes, List<String> gpus, String imageCuda) throws Exception;

    /** nvidia-docker 1.0's check: the image must not need a newer CUDA than the driver supports. */
    static void checkCuda(String driverCuda, String imageCuda) {
        if (imageCuda.isBlank() || driverCuda.isBlank()) {
            return;
        }
        int[] driver = majorMinor(driverCuda, "the driver's CUDA version");
        int[] image = majorMinor(imageCuda, "the image's com.nvidia.cuda.version label");
        if (image[0] > driver[0] || (image[0] == driver[0] && image[1] > driver[1])) {
            throw new WrapperException("unsupported CUDA version: driver " + driverCuda + " < image " + imageCuda);
        }
    }

    private static int[] majorMinor(String version, String what) {
        String[] parts = version.strip().split("\\.");
        try {
            return new int[] {Integer.parseInt(parts[0]), parts.length > 1 ? Integer.parseInt(parts[1]) : 0};
        } catch (NumberFormatException e) {
            throw new WrapperException("cannot read " + what + " \"" + version + "\": expected MAJOR.MINOR such as 12.4");
        }
    }
}
