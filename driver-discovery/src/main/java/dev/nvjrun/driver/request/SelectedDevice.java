package dev.nvjrun.driver.request;

/** A device a container gets: a whole GPU or one MIG device of a GPU. */
public sealed interface SelectedDevice {

    /** The GPU itself, or the MIG device's parent. */
    HostGpu gpu();

    /** The UUID that names this device in NVIDIA_VISIBLE_DEVICES and CUDA_VISIBLE_DEVICES. */
    String uuid();

    record WholeGpu(HostGpu gpu) implements SelectedDevice {
        public String uuid() {
            return gpu.uuid();
        }
    }

    record MigSlice(HostGpu gpu, HostMigDevice mig) implements SelectedDevice {
        public String uuid() {
            return mig.uuid();
        }
    }
}
