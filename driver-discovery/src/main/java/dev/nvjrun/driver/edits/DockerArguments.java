package dev.nvjrun.driver.edits;

import dev.nvjrun.driver.devices.DeviceNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@link ContainerEdits} as Docker CLI flags, in nvidia-docker 1.0's shape: the volume driver (when
 * the driver volume is used), the volumes, then the devices. Symlinks, files and ldconfig have no
 * Docker flag; with the driver volume the image's own {@code LD_LIBRARY_PATH}/{@code ld.so.conf}
 * (as in nvidia/cuda images) finds the libraries, as it did with 1.0.
 *
 * @param volumeDriver the volume plugin's name, empty when no driver volume is mounted
 * @param volumes      {@code --volume} values ({@code nvidia_driver_550.54.15:/usr/local/nvidia:ro}, {@code HOST:CONTAINER:ro})
 * @param devices      {@code --device} values: control devices first, then GPUs, then MIG access nodes
 * @param environment  {@code --env} values, emitted only by {@link #argumentListWithEnvironment()}
 */
public record DockerArguments(String volumeDriver, List<String> volumes, List<String> devices,
                              List<String> environment) {

    public DockerArguments {
        volumes = List.copyOf(volumes);
        devices = List.copyOf(devices);
        environment = List.copyOf(environment);
    }

    /** @param volumeDriver the name Docker knows the volume plugin by ({@code nvidia-docker}) */
    public static DockerArguments of(ContainerEdits edits, String volumeDriver) {
        List<String> volumes = new ArrayList<>();
        boolean driverVolume = false;
        for (Mount mount : edits.mounts()) {
            switch (mount) {
                case Mount.DriverVolume v -> {
                    volumes.add(v.volumeName() + ":" + v.containerPath() + ":ro");
                    driverVolume = true;
                }
                case Mount.Bind b -> volumes.add(b.hostPath() + ":" + b.containerPath() + (b.readOnly() ? ":ro" : ""));
            }
        }
        List<String> env = new ArrayList<>();
        for (Map.Entry<String, String> e : edits.environment().entrySet()) {
            env.add(e.getKey() + "=" + e.getValue());
        }
        return new DockerArguments(driverVolume ? volumeDriver : "", volumes,
                edits.devices().stream().map(DeviceNode::path).toList(), env);
    }

    /**
     * Exactly nvidia-docker 1.0's {@code /docker/cli} arguments: the driver volume and the devices,
     * nothing else (no per-file mounts, firmware or sockets), for the plugin's compatibility.
     */
    public static DockerArguments nvidiaDocker1(ContainerEdits edits, String volumeDriver) {
        DockerArguments all = of(edits, volumeDriver);
        List<String> volumes = edits.mounts().stream().filter(m -> m instanceof Mount.DriverVolume)
                .map(m -> (Mount.DriverVolume) m).map(v -> v.volumeName() + ":" + v.containerPath() + ":ro").toList();
        return new DockerArguments(volumeDriver, volumes, all.devices(), all.environment());
    }

    /** One argument per element, without the environment, as 1.0's {@code /docker/cli} answered. */
    public List<String> argumentList() {
        List<String> args = new ArrayList<>();
        if (!volumeDriver.isEmpty()) {
            args.add("--volume-driver=" + volumeDriver);
        }
        volumes.forEach(v -> args.add("--volume=" + v));
        devices.forEach(d -> args.add("--device=" + d));
        return args;
    }

    /** {@link #argumentList()} followed by {@code --env=NAME=VALUE} for each variable. */
    public List<String> argumentListWithEnvironment() {
        List<String> args = argumentList();
        environment.forEach(e -> args.add("--env=" + e));
        return args;
    }

    /** The one line {@code /docker/cli} answers, without a trailing newline like nvidia-docker 1.0. */
    public String cliLine() {
        return String.join(" ", argumentList());
    }
}
