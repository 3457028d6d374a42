package dev.nvjrun.launcher.gpu;

import dev.nvjrun.driver.request.GpuBrand;
import dev.nvjrun.driver.request.HostDriver;
import dev.nvjrun.driver.request.HostGpu;
import dev.nvjrun.driver.request.HostGpus;
import dev.nvjrun.driver.request.HostMigDevice;
import dev.nvjrun.driver.request.P2pTopology;
import dev.nvjrun.nvml.NvmlDevice;
import dev.nvjrun.nvml.NvmlSession;
import dev.nvjrun.nvml.TopologyLevel;

import java.util.List;

/**
 * Reads from NVML the plain facts that GPU selection needs (driver-discovery does not know NVML):
 * the GPUs with their ids and minors, and the P2P topology between them.
 */
public final class NvmlHostFacts {

    private NvmlHostFacts() {
    }

    public static HostGpus gpus(NvmlSession nvml) {
        String cuda = nvml.cudaDriverVersion().map(Object::toString).orElse("");
        List<HostGpu> gpus = nvml.devices().stream().map(NvmlHostFacts::gpu).toList();
        return new HostGpus(new HostDriver(nvml.driverVersion(), cuda), gpus);
    }

    private static HostGpu gpu(NvmlDevice d) {
        int index = d.index().orElseThrow(() -> new IllegalStateException("NVML gave no index for " + d));
        String uuid = d.uuid().orElseThrow(() -> new IllegalStateException("NVML gave no UUID for GPU " + index));
        int minor = d.minorNumber().orElseThrow(() -> new IllegalStateException("NVML gave no minor number for GPU " + index));
        List<HostMigDevice> mig = d.migDevices().stream()
                .map(m -> new HostMigDevice(m.uuid().orElse(""), m.gpuInstanceId().orElse(-1), m.computeInstanceId().orElse(-1)))
                .toList();
        return new HostGpu(index, uuid, minor,
                d.pciInfo().map(p -> p.busId()).orElse(""),
                d.architecture().map(a -> a.displayName()).orElse(""),
                d.brand().map(b -> GpuBrand.ofNvml(b.value())).orElse(""),
                d.computeCapability().map(Object::toString).orElse(""),
                mig);
    }

    /** The P2P levels between every pair of GPUs, so a count request gets the best-linked set. */
    public static P2pTopology topology(NvmlSession nvml) {
        List<NvmlDevice> devices = nvml.devices();
        int n = devices.size();
        int[][] levels = new int[n][n];
        for (int a = 0; a < n; a++) {
            for (int b = 0; b < n; b++) {
                levels[a][b] = a == b ? 0 : devices.get(a).topologyTo(devices.get(b))
                        .map(TopologyLevel::value).orElse(TopologyLevel.SYSTEM.value());
            }
        }
        return P2pTopology.ofNvml(levels, null);
    }
}
