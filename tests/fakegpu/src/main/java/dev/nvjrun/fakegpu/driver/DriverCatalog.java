package dev.nvjrun.fakegpu.driver;

import dev.nvjrun.fakegpu.elf.AbiTag;
import java.util.ArrayList;
import java.util.List;

/**
 * The driver files a fake host carries, after libnvidia-container's lists (src/nvc_info.c):
 * utility, compute, video, graphics (with the GLVND vendor libraries), display and NGX. Names
 * are lib&lt;name&gt;.so.&lt;driver version&gt;; SONAMEs follow the real driver, where some
 * libraries carry the full version and the GLVND ones keep their ABI numbers.
 */
public final class DriverCatalog {

    private static final List<String> LIBC = List.of("libc.so.6", "libdl.so.2", "libpthread.so.0", "libm.so.6");

    private final String version;

    public DriverCatalog(String version) {
        this.version = version;
    }

    public String version() {
        return version;
    }

    /** Every library of the driver, the mock libnvidia-ml included (written separately). */
    public List<DriverLibrary> libraries() {
        List<DriverLibrary> all = new ArrayList<>();
        String glcore = "libnvidia-glcore.so." + version;
        String eglcore = "libnvidia-eglcore.so." + version;
        String tls = "libnvidia-tls.so." + version;
        String glsi = "libnvidia-glsi.so." + version;

        all.add(lib("libnvidia-ml", "libnvidia-ml.so.1", Capability.UTILITY, false, List.of()));
        all.add(lib("libnvidia-cfg", "libnvidia-cfg.so.1", Capability.UTILITY, false, List.of()));

        all.add(lib("libcuda", "libcuda.so.1", Capability.COMPUTE, true, List.of("librt.so.1")));
        all.add(lib("libcudadebugger", "libcudadebugger.so.1", Capability.COMPUTE, false, List.of()));
        all.add(lib("libnvidia-opencl", "libnvidia-opencl.so.1", Capability.COMPUTE, true, List.of()));
        all.add(lib("libnvidia-gpucomp", "libnvidia-gpucomp.so." + version, Capability.COMPUTE, true, List.of()));
        all.add(lib("libnvidia-ptxjitcompiler", "libnvidia-ptxjitcompiler.so.1", Capability.COMPUTE, true, List.of()));
        all.add(lib("libnvidia-allocator", "libnvidia-allocator.so.1", Capability.COMPUTE, true, List.of()));
        all.add(lib("libnvidia-nvvm", "libnvidia-nvvm.so.4", Capability.COMPUTE, false, List.of()));

        all.add(lib("libvdpau_nvidia", "libvdpau_nvidia.so.1", Capability.VIDEO, true, List.of()));
        all.add(lib("libnvidia-encode", "libnvidia-encode.so.1", Capability.VIDEO, true, List.of("libnvcuvid.so.1")));
        all.add(lib("libnvidia-opticalflow", "libnvidia-opticalflow.so.1", Capability.VIDEO, true, List.of()));
        all.add(lib("libnvcuvid", "libnvcuvid.so.1", Capability.VIDEO, true, List.of()));

        all.add(lib("libnvidia-eglcore", eglcore, Capability.GRAPHICS, true, List.of()));
        all.add(lib("libnvidia-glcore", glcore, Capability.GRAPHICS, true, List.of()));
        all.add(new DriverLibrary("libnvidia-tls.so." + version, tls, LIBC, Capability.GRAPHICS, true,
                AbiTag.LINUX_2_3_99));
        all.add(lib("libnvidia-glsi", glsi, Capability.GRAPHICS, true, List.of()));
        all.add(lib("libnvidia-fbc", "libnvidia-fbc.so.1", Capability.GRAPHICS, true, List.of()));
        all.add(lib("libnvidia-rtcore", "libnvidia-rtcore.so." + version, Capability.GRAPHICS, false, List.of()));
        all.add(lib("libnvoptix", "libnvoptix.so.1", Capability.GRAPHICS, false, List.of()));
        all.add(lib("libGLX_nvidia", "libGLX_nvidia.so.0", Capability.GRAPHICS, true,
                List.of(glcore, tls, "libGLdispatch.so.0")));
        all.add(lib("libEGL_nvidia", "libEGL_nvidia.so.0", Capability.GRAPHICS, true,
                List.of(eglcore, glsi, "libGLdispatch.so.0")));
        all.add(lib("libGLESv2_nvidia", "libGLESv2_nvidia.so.2", Capability.GRAPHICS, true,
                List.of(eglcore, "libGLdispatch.so.0")));
        all.add(lib("libGLESv1_CM_nvidia", "libGLESv1_CM_nvidia.so.1", Capability.GRAPHICS, true,
                List.of(eglcore, "libGLdispatch.so.0")));
        all.add(lib("libnvidia-glvkspirv", "libnvidia-glvkspirv.so." + version, Capability.GRAPHICS, true,
                List.of()));
        all.add(lib("libnvidia-cbl", "libnvidia-cbl.so." + version, Capability.GRAPHICS, false, List.of()));

        all.add(new DriverLibrary("libnvidia-egl-wayland.so.1.1.13", "libnvidia-egl-wayland.so.1", LIBC,
                Capability.DISPLAY, false, AbiTag.LINUX_2_2_0));
        all.add(new DriverLibrary("libnvidia-egl-gbm.so.1.1.1", "libnvidia-egl-gbm.so.1", LIBC,
                Capability.DISPLAY, false, AbiTag.LINUX_2_2_0));

        all.add(lib("libnvidia-ngx", "libnvidia-ngx.so.1", Capability.NGX, false, List.of()));
        return List.copyOf(all);
    }

    /** The utility and compute binaries that go into usr/bin. */
    public List<String> binaries() {
        return List.of("nvidia-smi", "nvidia-debugdump", "nvidia-persistenced", "nvidia-cuda-mps-control",
                "nvidia-cuda-mps-server");
    }

    /** GSP firmware files under lib/firmware/nvidia/&lt;version&gt;/. */
    public List<String> firmware() {
        return List.of("gsp_ga10x.bin", "gsp_tu10x.bin");
    }

    private DriverLibrary lib(String name, String soname, Capability capability, boolean has32Bit,
                              List<String> extraNeeded) {
        List<String> needed = new ArrayList<>(extraNeeded);
        needed.addAll(LIBC);
        return new DriverLibrary(name + ".so." + version, soname, needed, capability, has32Bit,
                AbiTag.LINUX_2_2_0);
    }
}
