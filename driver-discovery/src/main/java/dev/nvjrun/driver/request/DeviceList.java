package dev.nvjrun.driver.request;

import java.util.ArrayList;
import java.util.List;

/**
 * nvidia-docker 1.0's device lists: {@code NV_GPU="0 1"}, {@code NV_GPU=0,GPU-8a3f} and the plugin's
 * {@code /docker/cli?dev=0+1}. Ids are separated by spaces, commas or {@code +}; an empty list or
 * {@code *} means every GPU, as in 1.0.
 */
public final class DeviceList {

    private DeviceList() {
    }

    /**
     * @param origin where the list came from, for messages ("NV_GPU", "dev=")
     */
    public static GpuSelector parse(String value, String origin) throws GpuRequestException {
        List<String> names = names(value);
        if (names.isEmpty() || names.equals(List.of("*"))) {
            return GpuSelector.ALL;
        }
        List<DeviceId> ids = new ArrayList<>();
        for (String name : names) {
            DeviceId id = DeviceId.parse(name, origin + " '" + value + "'");
            if (!ids.stream().map(DeviceId::text).toList().contains(id.text())) {
                ids.add(id);
            }
        }
        return new GpuSelector.Devices(ids);
    }

    private static List<String> names(String value) {
        if (value == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (String s : value.strip().split("[\\s+,]+")) {
            if (!s.isEmpty()) {
                out.add(s);
            }
        }
        return out;
    }
}
