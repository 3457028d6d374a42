package dev.nvjrun.nvml;

/** The newest CUDA version the driver supports, e.g. 12.4. */
public record CudaVersion(int major, int minor) {

    /** From NVML's encoding: 1000 * major + 10 * minor (12040 is 12.4). */
    public static CudaVersion fromNvml(int encoded) {
        return new CudaVersion(encoded / 1000, encoded % 1000 / 10);
    }

    @Override
    public String toString() {
        return major + "." + minor;
    }
}
