package dev.nvjrun.plugin.host;

import dev.nvjrun.driver.DriverDiscoveryException;
import dev.nvjrun.driver.edits.ContainerEdits;
import dev.nvjrun.driver.request.ResolvedRequest;

import java.util.List;

/**
 * Everything the plugin daemon needs to know about the GPU host. {@link NvmlGpuHost} implements it
 * over the nvml and driver-discovery modules; tests also implement it in memory.
 *
 * <p>The daemon calls the static methods ({@link #driverVersion()}, {@link #gpus()},
 * {@link #controlDevices()}, {@link #driverFiles(String)}, {@link #infoText()},
 * {@link #infoJson()}) once at start and caches their answers; only the status methods are called
 * per request, because only they report values that change.
 */
public interface GpuHost {

    /** The running driver's version, for example {@code 535.104.05}. */
    String driverVersion();

    /** The GPUs in index order. */
    List<Gpu> gpus();

    /** The device nodes every GPU container needs: nvidiactl, nvidia-uvm, nvidia-uvm-tools if present. */
    List<DeviceNode> controlDevices();

    /** The newest CUDA version the driver supports ({@code 12.4}), for request messages; {@code unknown} if not known. */
    default String cudaVersion() {
        return "unknown";
    }

    /**
     * What a container gets for a resolved request, computed by driver-discovery's shared
     * {@code DriverInjection}, so that the plugin's answers and {@code nvjrun run --gpus} agree.
     * Called per request; an implementation keeps whatever is costly to find (driver files) cached.
     *
     * @throws DriverDiscoveryException when the host's driver files or device nodes are unusable
     */
    ContainerEdits edits(ResolvedRequest request) throws DriverDiscoveryException;

    /** The driver files that belong in the named volume (for example {@code nvidia_driver}). */
    List<VolumeFile> driverFiles(String volume);

    /** The text of {@code nvjrun gpu info}. */
    String infoText();

    /** The JSON of {@code nvjrun gpu info --json} (nvidia-docker's {@code {"Version":…,"Devices":[…]}}). */
    String infoJson();

    /** The text of {@code nvjrun gpu status}, read live. */
    String statusText();

    /** The JSON of {@code nvjrun gpu status --json}, read live. */
    String statusJson();

    /** The live status of one GPU, by index. */
    GpuStatus status(int index);

    /**
     * The value of Docker's {@code --device} for a node at {@code path} (for example
     * {@code /dev/nvidia0}): the path itself on a real host, {@code HOST:CONTAINER} when the host's
     * nodes live under another device root (a simulated host), since Docker reads the host side.
     */
    default String dockerDevice(String path) {
        return path;
    }
}
