package dev.nvjrun.driver.request;

import java.util.List;

/** NVML's brand numbers in the spelling that {@code NVIDIA_REQUIRE_*} brand conditions use. */
public final class GpuBrand {

    // nvmlBrandType_t order, as libnvidia-container names them.
    private static final List<String> NAMES = List.of("unknown", "quadro", "tesla", "nvs", "grid", "geforce", "titan",
            "nvidiavapps", "nvidiavpc", "nvidiavcs", "nvidiavws", "nvidiacloudgaming", "quadrortx", "nvidiartx",
            "nvidia", "geforcertx", "titanrtx");

    private GpuBrand() {
    }

    /** The name of an nvmlBrandType_t value; "unknown" for numbers this table does not know. */
    public static String ofNvml(int brand) {
        return brand >= 0 && brand < NAMES.size() ? NAMES.get(brand) : "unknown";
    }
}
