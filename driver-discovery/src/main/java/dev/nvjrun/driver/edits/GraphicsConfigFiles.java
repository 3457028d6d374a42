package dev.nvjrun.driver.edits;

import dev.nvjrun.driver.HostRoots;
import dev.nvjrun.driver.catalog.Capability;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The Vulkan and EGL loader files of the driver (ICD manifests, the implicit layer, the GLVND
 * vendor file, the EGL external platforms), which the loaders in the image look for at fixed
 * paths. Lists from nvidia-container-toolkit's graphics discovery.
 */
final class GraphicsConfigFiles {

    private static final List<String> GRAPHICS = List.of(
            "/etc/vulkan/icd.d/nvidia_icd.json",
            "/usr/share/vulkan/icd.d/nvidia_icd.json",
            "/usr/share/vulkan/icd.d/nvidia_icd.x86_64.json",
            "/etc/vulkan/implicit_layer.d/nvidia_layers.json",
            "/usr/share/vulkan/implicit_layer.d/nvidia_layers.json",
            "/etc/glvnd/egl_vendor.d/10_nvidia.json",
            "/usr/share/glvnd/egl_vendor.d/10_nvidia.json",
            "/usr/share/nvidia/nvoptix.bin");
    private static final List<String> PLATFORMS = List.of(
            "/usr/share/egl/egl_external_platform.d/10_nvidia_wayland.json",
            "/usr/share/egl/egl_external_platform.d/15_nvidia_gbm.json",
            "/usr/share/egl/egl_external_platform.d/20_nvidia_xcb.json",
            "/usr/share/egl/egl_external_platform.d/20_nvidia_xlib.json");

    private GraphicsConfigFiles() {
    }

    /** The files present under the driver root, each mounted read-only at its own path. */
    static List<Mount.Bind> find(HostRoots roots, Set<Capability> capabilities) {
        List<String> wanted = new ArrayList<>();
        if (capabilities.contains(Capability.GRAPHICS)) {
            wanted.addAll(GRAPHICS);
        }
        if (capabilities.contains(Capability.GRAPHICS) || capabilities.contains(Capability.DISPLAY)) {
            wanted.addAll(PLATFORMS);
        }
        List<Mount.Bind> out = new ArrayList<>();
        for (String path : wanted) {
            Path host = roots.inDriverRoot(path);
            if (Files.isRegularFile(host)) {
                out.add(new Mount.Bind(host, path, true));
            }
        }
        return out;
    }
}
