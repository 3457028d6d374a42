package dev.nvjrun.plugin.host;

import dev.nvjrun.driver.DriverDiscoveryException;
import dev.nvjrun.driver.HostRoots;
import dev.nvjrun.driver.catalog.DriverCatalog;
import dev.nvjrun.driver.devices.NvidiaDevices;
import dev.nvjrun.driver.edits.ContainerEdits;
import dev.nvjrun.driver.edits.DriverInjection;
import dev.nvjrun.driver.request.ResolvedRequest;
import dev.nvjrun.nvml.MemoryUsage;
import dev.nvjrun.nvml.Nvml;
import dev.nvjrun.nvml.NvmlDevice;
import dev.nvjrun.nvml.NvmlException;
import dev.nvjrun.nvml.NvmlSession;
import dev.nvjrun.nvml.Utilization;
import dev.nvjrun.nvml.report.GpuInfo;
import dev.nvjrun.plugin.volume.DriverVolume;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The real host: one NVML session for the daemon's life, the driver root's files through
 * {@link DriverCatalog}, device nodes through {@link NvidiaDevices}. Everything static is read once
 * in {@link #open}; status calls go to NVML each time, one at a time.
 */
public final class NvmlGpuHost implements GpuHost, AutoCloseable {

    private static final String MODESET = "/dev/nvidia-modeset";

    private final NvmlSession nvml;
    /** NVML is thread-safe, but the status pages walk all devices: one walk at a time keeps them consistent. */
    private final ReentrantLock statusLock = new ReentrantLock();
    private final HostRoots roots;
    private final boolean realDevRoot;
    private final String driverVersion;
    private final GpuInfo info;
    private final List<Gpu> gpus;
    private final List<DeviceNode> controlDevices;
    private final List<VolumeFile> driverFiles;
    private final String infoText;
    private final String infoJson;
    private final DriverInjection injection;

    private NvmlGpuHost(NvmlSession nvml, HostRoots roots, String driverVersion, GpuInfo info, List<Gpu> gpus,
                        List<DeviceNode> controlDevices, List<VolumeFile> driverFiles, DriverInjection injection) {
        this.nvml = nvml;
        this.roots = roots;
        this.realDevRoot = roots.devRoot().toAbsolutePath().normalize().equals(Path.of("/"));
        this.driverVersion = driverVersion;
        this.info = info;
        this.gpus = List.copyOf(gpus);
        this.controlDevices = List.copyOf(controlDevices);
        this.driverFiles = List.copyOf(driverFiles);
        this.infoText = info.toText();
        this.infoJson = info.toJson();
        this.injection = injection;
    }

    /**
     * Opens NVML and reads everything that cannot change while the driver is loaded.
     *
     * @param nvmlLibrary the libnvidia-ml to load, or null for the one the driver root's ld.so.cache names
     * @param environment the caller's environment (CUDA_MPS_PIPE_DIRECTORY)
     * @throws DriverDiscoveryException when the driver root has no usable driver
     * @throws NvmlException            when NVML cannot be loaded or initialised (its message says why)
     */
    public static NvmlGpuHost open(HostRoots roots, Path nvmlLibrary, Map<String, String> environment)
            throws DriverDiscoveryException {
        DriverCatalog catalog = new DriverCatalog(roots, environment);
        NvmlSession nvml = Nvml.open(nvmlLibrary != null ? nvmlLibrary : catalog.nvmlLibrary());
        try {
            String version = nvml.driverVersion();
            GpuInfo info = GpuInfo.gather(nvml);
            List<Gpu> gpus = gpus(nvml.devices(), info);
            List<DeviceNode> control = new ArrayList<>();
            // nvidia-docker hands out nvidiactl and the UVM nodes; modeset is for displays only.
            for (var node : new NvidiaDevices(roots).controlDevices()) {
                if (!node.path().equals(MODESET)) {
                    control.add(new DeviceNode(node.path(), node.major(), node.minor()));
                }
            }
            List<VolumeFile> files = new DriverVolumeFiles(catalog).forVolume(DriverVolume.NVIDIA_DRIVER.name(), version);
            // The same injection as nvjrun run: it keeps the driver files per capability set it has seen.
            DriverInjection injection = new DriverInjection(roots, catalog, new NvidiaDevices(roots), version);
            return new NvmlGpuHost(nvml, roots, version, info, gpus, control, files, injection);
        } catch (DriverDiscoveryException | RuntimeException e) {
            nvml.close();
            throw e;
        }
    }

    private static List<Gpu> gpus(List<NvmlDevice> devices, GpuInfo info) throws DriverDiscoveryException {
        List<Gpu> gpus = new ArrayList<>();
        for (int i = 0; i < devices.size(); i++) {
            int index = i;
            NvmlDevice device = devices.get(i);
            GpuInfo.Device page = info.devices().get(i);
            String uuid = device.uuid().orElseThrow(() -> new DriverDiscoveryException(
                    "NVML reports no UUID for GPU " + index + ". Check the GPU with nvidia-smi"));
            OptionalInt minor = device.minorNumber();
            if (minor.isEmpty()) {
                throw new DriverDiscoveryException("NVML reports no device minor number for GPU " + uuid
                        + ", so its /dev/nvidia node is unknown. Check the GPU with nvidia-smi");
            }
            List<GpuLink> links = page.topology().stream()
                    .map(link -> new GpuLink(link.busId(), link.linkDescription())).toList();
            List<MigDevice> migs = new ArrayList<>();
            for (NvmlDevice mig : device.migDevices()) {
                migs.add(new MigDevice(mig.uuid().orElse("MIG-unknown"), mig.gpuInstanceId().orElse(-1),
                        mig.computeInstanceId().orElse(-1), profile(mig.name().orElse(""))));
            }
            gpus.add(new Gpu(i, uuid, minor.getAsInt(), "/dev/nvidia" + minor.getAsInt(), device.name().orElse(null),
                    page.pci().busId(), device.memory().map(MemoryUsage::totalMiB).orElse(0L), links, migs));
        }
        return gpus;
    }

    /** "NVIDIA A100-SXM4-80GB MIG 3g.40gb" → "3g.40gb", as nvidia-smi shows the profile. */
    private static String profile(String migName) {
        int at = migName.lastIndexOf("MIG ");
        return at < 0 ? migName : migName.substring(at + 4).strip();
    }

    @Override
    public String driverVersion() {
        return driverVersion;
    }

    @Override
    public List<Gpu> gpus() {
        return gpus;
    }

    @Override
    public List<DeviceNode> controlDevices() {
        return controlDevices;
    }

    @Override
    public List<VolumeFile> driverFiles(String volume) {
        return DriverVolume.NVIDIA_DRIVER.name().equals(volume) ? driverFiles : List.of();
    }

    @Override
    public String cudaVersion() {
        String cuda = info.version().cuda();
        return cuda == null || cuda.isBlank() ? GpuHost.super.cudaVersion() : cuda;
    }

    @Override
    public ContainerEdits edits(ResolvedRequest request) throws DriverDiscoveryException {
        return injection.edits(request);
    }

    @Override
    public String dockerDevice(String path) {
        return realDevRoot ? path : roots.inDevRoot(path) + ":" + path;
    }

    /** The info page as gathered at start. */
    public GpuInfo info() {
        return info;
    }

    @Override
    public String infoText() {
        return infoText;
    }

    @Override
    public String infoJson() {
        return infoJson;
    }

    @Override
    public String statusText() {
        return live(() -> dev.nvjrun.nvml.report.GpuStatus.gather(nvml).toText());
    }

    @Override
    public String statusJson() {
        return live(() -> dev.nvjrun.nvml.report.GpuStatus.gather(nvml).toJson());
    }

    @Override
    public GpuStatus status(int index) {
        return live(() -> {
            NvmlDevice device = nvml.device(index);
            var rates = device.utilization();
            var memory = device.memory();
            OptionalInt temperature = device.temperature();
            OptionalInt power = device.powerUsageMilliwatts();
            return new GpuStatus(index, rates.map(Utilization::gpu).orElse(null), rates.map(Utilization::memory).orElse(null),
                    memory.map(MemoryUsage::usedMiB).orElse(null), memory.map(MemoryUsage::totalMiB).orElse(null),
                    temperature.isPresent() ? temperature.getAsInt() : null,
                    power.isPresent() ? power.getAsInt() / 1000.0 : null);
        });
    }

    private <T> T live(Supplier<T> query) {
        statusLock.lock();
        try {
            return query.get();
        } catch (NvmlException e) {
            String reason = e.getMessage().endsWith(".") ? e.getMessage().substring(0, e.getMessage().length() - 1) : e.getMessage();
            throw new HostUnavailableException("cannot read the GPU status: " + reason
                    + (e.isGpuLost() ? ". A lost GPU needs a reset (nvidia-smi -r) or a reboot" : ". Check the driver with nvidia-smi"), e);
        } finally {
            statusLock.unlock();
        }
    }

    /** Shuts NVML down. */
    @Override
    public void close() {
        nvml.close();
    }
}
