package dev.nvjrun.plugin.api;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.ArrayList;
import java.util.List;

/**
 * The Docker arguments that give a container its GPUs, in nvidia-docker 1.0's JSON shape.
 *
 * @param volumeDriver the volume plugin's name
 * @param volumes      {@code nvidia_driver_<ver>:/usr/local/nvidia:ro}
 * @param devices      control devices first, then the selected GPUs
 */
public record DockerArguments(@JsonProperty("VolumeDriver") String volumeDriver,
                              @JsonProperty("Volumes") List<String> volumes,
                              @JsonProperty("Devices") List<String> devices) {

    public DockerArguments {
        volumes = List.copyOf(volumes);
        devices = List.copyOf(devices);
    }

    /** One argument per element: {@code --volume-driver=…}, {@code --volume=…}, {@code --device=…}. */
    public List<String> argumentList() {
        List<String> args = new ArrayList<>(1 + volumes.size() + devices.size());
        args.add("--volume-driver=" + volumeDriver);
        volumes.forEach(v -> args.add("--volume=" + v));
        devices.forEach(d -> args.add("--device=" + d));
        return args;
    }

    /** The one line {@code /docker/cli} answers, without a trailing newline like nvidia-docker 1.0. */
    public String cliLine() {
        return String.join(" ", argumentList());
    }
}
