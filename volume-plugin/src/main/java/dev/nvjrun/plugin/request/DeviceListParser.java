package dev.nvjrun.plugin.request;

import java.util.Arrays;
import java.util.List;

/**
 * Parses nvidia-docker 1.0's device and volume lists ({@code /docker/cli?dev=0+1},
 * {@code NV_GPU="0 1"}): names separated by spaces, {@code +} or commas; empty or {@code *} for all.
 */
public final class DeviceListParser {

    private DeviceListParser() {
    }

    /** The GPUs of a {@code dev=} value. */
    public static GpuSelector parseDevices(String value) {
        List<String> names = names(value);
        return names.isEmpty() ? GpuSelector.ALL : new GpuSelector.Devices(names);
    }

    /** The names of a list; empty for all. */
    public static List<String> names(String value) {
        if (value == null) {
            return List.of();
        }
        List<String> names = Arrays.stream(value.split("[\\s+,]+")).filter(s -> !s.isEmpty()).distinct().toList();
        return names.equals(List.of("*")) ? List.of() : names;
    }
}
