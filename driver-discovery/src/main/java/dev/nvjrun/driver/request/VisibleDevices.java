package dev.nvjrun.driver.request;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * NVIDIA_VISIBLE_DEVICES as the NVIDIA container runtime reads it: {@code all}, {@code none},
 * {@code void} or an empty value (not a GPU container), or a comma-separated list of GPU indexes,
 * UUIDs, PCI bus ids and MIG devices ({@code 0:1}, {@code MIG-…}).
 */
public final class VisibleDevices {

    public static final String VARIABLE = "NVIDIA_VISIBLE_DEVICES";

    private VisibleDevices() {
    }

    public static GpuSelector parse(String value, String origin) throws GpuRequestException {
        String v = value == null ? "" : value.strip();
        switch (v.toLowerCase(Locale.ROOT)) {
            case "", "void" -> {
                return GpuSelector.VOID;
            }
            case "all" -> {
                return GpuSelector.ALL;
            }
            case "none" -> {
                return GpuSelector.NONE;
            }
            default -> {
                List<DeviceId> ids = new ArrayList<>();
                for (String raw : v.split(",", -1)) {
                    DeviceId id = DeviceId.parse(raw, origin + " '" + value + "'");
                    if (ids.stream().noneMatch(d -> d.text().equals(id.text()))) {
                        ids.add(id);
                    }
                }
                return new GpuSelector.Devices(ids);
            }
        }
    }

    /** The value NVIDIA's runtime would read back as {@code selector}; devices by the ids given. */
    public static String format(GpuSelector selector) {
        return switch (selector) {
            case GpuSelector.All all -> "all";
            case GpuSelector.None none -> "none";
            case GpuSelector.Void v -> "void";
            case GpuSelector.Count(int count) -> count == 0 ? "none"
                    : String.join(",", IntStream.range(0, count).mapToObj(String::valueOf).toList());
            case GpuSelector.Devices(List<DeviceId> ids) -> String.join(",", ids.stream().map(DeviceId::text).toList());
        };
    }
}
