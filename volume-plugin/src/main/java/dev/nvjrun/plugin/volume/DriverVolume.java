package dev.nvjrun.plugin.volume;

import java.util.List;
import java.util.Optional;

/**
 * A kind of volume the plugin serves, as nvidia-docker 1.0 described it: its name, where it is
 * mounted in the container and with which options.
 */
public record DriverVolume(String name, String mountpoint, String mountOptions) {

    /** The one volume nvidia-docker 1.0 served: the driver's binaries and libraries. */
    public static final DriverVolume NVIDIA_DRIVER = new DriverVolume("nvidia_driver", "/usr/local/nvidia", "ro");

    /** Every volume the plugin serves. */
    public static final List<DriverVolume> ALL = List.of(NVIDIA_DRIVER);

    /** The served volume with this name. */
    public static Optional<DriverVolume> named(String name) {
        return ALL.stream().filter(v -> v.name.equals(name)).findFirst();
    }

    /** Docker's name for this volume at a driver version: {@code nvidia_driver_535.104.05}. */
    public String dockerName(String version) {
        return name + "_" + version;
    }

    /** The {@code --volume=} value for Docker: {@code nvidia_driver_<ver>:/usr/local/nvidia:ro}. */
    public String dockerVolumeArgument(String version) {
        return dockerName(version) + ":" + mountpoint + ":" + mountOptions;
    }
}
