package dev.nvjrun.plugin.api;

import dev.nvjrun.plugin.host.DeviceNode;
import dev.nvjrun.plugin.host.Gpu;
import dev.nvjrun.plugin.request.BadRequestException;
import dev.nvjrun.plugin.request.DeviceListParser;
import dev.nvjrun.plugin.request.GpuResolver;
import dev.nvjrun.plugin.request.GpuSelector;
import dev.nvjrun.plugin.volume.DriverVolume;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Computes Docker arguments from data that cannot change while the daemon runs (driver version,
 * GPUs, control devices), so requests never reach NVML. The answer for "everything" is computed once.
 */
public final class GpuArguments {

    /** The name Docker knows the volume plugin by: its socket is {@code nvidia-docker.sock}. */
    public static final String VOLUME_DRIVER = "nvidia-docker";

    private final String driverVersion;
    private final List<Gpu> gpus;
    private final List<String> controlDevices;
    private final DockerArguments everything;

    private final UnaryOperator<String> dockerDevice;

    /** Arguments for a host whose device nodes are where containers see them. */
    public GpuArguments(String driverVersion, List<Gpu> gpus, List<DeviceNode> controlDevices) {
        this(driverVersion, gpus, controlDevices, UnaryOperator.identity());
    }

    /**
     * @param dockerDevice turns a node's path into Docker's {@code --device} value ({@link
     *                     dev.nvjrun.plugin.host.GpuHost#dockerDevice})
     */
    public GpuArguments(String driverVersion, List<Gpu> gpus, List<DeviceNode> controlDevices,
                        UnaryOperator<String> dockerDevice) {
        this.driverVersion = driverVersion;
        this.gpus = List.copyOf(gpus);
        this.dockerDevice = dockerDevice;
        this.controlDevices = controlDevices.stream().map(DeviceNode::path).map(dockerDevice).toList();
        this.everything = build(this.gpus, DriverVolume.ALL);
    }

    /** All GPUs and all volumes. */
    public DockerArguments everything() {
        return everything;
    }

    /** The arguments for nvidia-docker 1.0's {@code dev=} and {@code vol=} lists (null or empty for all). */
    public DockerArguments forLists(String dev, String vol) throws BadRequestException {
        List<String> volumeNames = DeviceListParser.names(vol);
        GpuSelector selector = DeviceListParser.parseDevices(dev);
        if (selector instanceof GpuSelector.All && volumeNames.isEmpty()) {
            return everything;
        }
        return build(GpuResolver.resolve(selector, gpus), volumes(volumeNames));
    }

    /** The arguments for a selector, with every volume. */
    public DockerArguments forSelector(GpuSelector selector) throws BadRequestException {
        return build(GpuResolver.resolve(selector, gpus), DriverVolume.ALL);
    }

    private static List<DriverVolume> volumes(List<String> names) throws BadRequestException {
        if (names.isEmpty()) {
            return DriverVolume.ALL;
        }
        List<DriverVolume> volumes = new ArrayList<>();
        for (String name : names) {
            volumes.add(DriverVolume.named(name).orElseThrow(() -> new BadRequestException("unknown volume " + name
                    + ": this plugin serves " + String.join(", ", DriverVolume.ALL.stream().map(DriverVolume::name).toList()))));
        }
        return volumes;
    }

    private DockerArguments build(List<Gpu> selected, List<DriverVolume> volumes) {
        List<String> devices = new ArrayList<>(controlDevices);
        selected.forEach(g -> devices.add(dockerDevice.apply(g.devicePath())));
        return new DockerArguments(VOLUME_DRIVER,
                volumes.stream().map(v -> v.dockerVolumeArgument(driverVersion)).toList(), devices);
    }
}
