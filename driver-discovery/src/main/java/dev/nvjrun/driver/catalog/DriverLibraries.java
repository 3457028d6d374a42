package dev.nvjrun.driver.catalog;

import java.util.List;
import java.util.Map;

/**
 * The driver's libraries and binaries per capability, by name stem. The lists are those of
 * libnvidia-container (src/nvc_info.c), which NVIDIA keeps current with each driver branch.
 */
final class DriverLibraries {

    static final List<String> UTILITY_LIBS = List.of("libnvidia-ml.so", "libnvidia-cfg.so", "libnvidia-nscq.so");

    static final List<String> COMPUTE_LIBS = List.of("libcuda.so", "libcudadebugger.so", "libnvidia-opencl.so",
            "libnvidia-gpucomp.so", "libnvidia-ptxjitcompiler.so", "libnvidia-fatbinaryloader.so",
            "libnvidia-allocator.so", "libnvidia-compiler.so", "libnvidia-pkcs11.so", "libnvidia-pkcs11-openssl3.so",
            "libnvidia-nvvm.so", "libnvidia-tileiras.so");

    static final List<String> VIDEO_LIBS = List.of("libvdpau_nvidia.so", "libnvidia-encode.so",
            "libnvidia-opticalflow.so", "libnvcuvid.so");

    static final List<String> GRAPHICS_LIBS = List.of("libnvidia-eglcore.so", "libnvidia-glcore.so",
            "libnvidia-tls.so", "libnvidia-glsi.so", "libnvidia-fbc.so", "libnvidia-ifr.so", "libnvidia-rtcore.so",
            "libnvoptix.so",
            // GLVND vendor libraries
            "libGLX_nvidia.so", "libEGL_nvidia.so", "libGLESv2_nvidia.so", "libGLESv1_CM_nvidia.so",
            "libnvidia-glvkspirv.so", "libnvidia-cbl.so",
            // legacy (non-GLVND) drivers ship these names themselves; kept only when NVIDIA's
            "libGL.so", "libEGL.so", "libGLESv1_CM.so", "libGLESv2.so");

    /** Names that GLVND and Mesa also use: only NVIDIA's own builds are taken. */
    static final List<String> SHARED_GL_NAMES = List.of("libGL.so", "libEGL.so", "libGLESv1_CM.so", "libGLESv2.so");

    /** What marks a GL library as NVIDIA's: it links one of these. */
    static final List<String> NVIDIA_GL_DEPENDENCIES = List.of("libnvidia-glcore.so", "libnvidia-eglcore.so",
            "libGLdispatch.so");

    static final List<String> NGX_LIBS = List.of("libnvidia-ngx.so");

    /** EGL platform libraries a display needs; libnvidia-container leaves them out, nvidia-container-toolkit adds them. */
    static final List<String> DISPLAY_LIBS = List.of("libnvidia-egl-wayland.so", "libnvidia-egl-gbm.so",
            "libnvidia-egl-xcb.so", "libnvidia-egl-xlib.so");

    /** Libraries NVIDIA versions on their own (libnvidia-egl-wayland.so.1.1.13), not with the driver. */
    static final List<String> INDEPENDENTLY_VERSIONED = DISPLAY_LIBS;

    static final List<String> UTILITY_BINS = List.of("nvidia-smi", "nvidia-debugdump", "nvidia-persistenced",
            "nv-fabricmanager");

    static final List<String> COMPUTE_BINS = List.of("nvidia-cuda-mps-control", "nvidia-cuda-mps-server");

    static final Map<Capability, List<String>> LIBS = Map.of(
            Capability.UTILITY, UTILITY_LIBS,
            Capability.COMPUTE, COMPUTE_LIBS,
            Capability.VIDEO, VIDEO_LIBS,
            Capability.GRAPHICS, GRAPHICS_LIBS,
            Capability.DISPLAY, DISPLAY_LIBS,
            Capability.NGX, NGX_LIBS);

    static final Map<Capability, List<String>> BINS = Map.of(
            Capability.UTILITY, UTILITY_BINS,
            Capability.COMPUTE, COMPUTE_BINS);

    /** Where a driver installer puts binaries, relative to the driver root, in PATH order. */
    static final List<String> BIN_DIRS = List.of("/usr/bin", "/usr/sbin", "/bin", "/sbin");

    private DriverLibraries() {
    }
}
