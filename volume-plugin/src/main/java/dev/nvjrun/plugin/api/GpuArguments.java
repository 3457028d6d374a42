package dev.nvjrun.plugin.api;

import dev.nvjrun.driver.DriverDiscoveryException;
import dev.nvjrun.driver.catalog.Capability;
import dev.nvjrun.driver.edits.ContainerEdits;
import dev.nvjrun.driver.request.DeviceId;
import dev.nvjrun.driver.request.GpuRequest;
import dev.nvjrun.driver.request.GpuRequestException;
import dev.nvjrun.driver.request.GpuSelector;
import dev.nvjrun.driver.request.HostDriver;
import dev.nvjrun.driver.request.HostGpu;
import dev.nvjrun.driver.request.HostGpus;
import dev.nvjrun.driver.request.HostMigDevice;
import dev.nvjrun.driver.request.P2pTopology;
import dev.nvjrun.driver.request.RequestResolver;
import dev.nvjrun.driver.request.RequestSources;
import dev.nvjrun.driver.request.ResolvedRequest;
import dev.nvjrun.driver.request.SelectedDevice;
import dev.nvjrun.plugin.host.Gpu;
import dev.nvjrun.plugin.host.GpuHost;
import dev.nvjrun.plugin.volume.DriverVolume;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Docker arguments for the plugin's requests, through driver-discovery's shared path (request →
 * {@link RequestResolver} → the host's {@code DriverInjection} edits → nvidia-docker 1.0's flags),
 * the same path as {@code nvjrun run --gpus} and the wrapper mode, so their devices never disagree.
 * The GPU facts cannot change while the daemon runs; the answer for "everything" is computed once.
 */
public final class GpuArguments {

    /** The name Docker knows the volume plugin by: its socket is {@code nvidia-docker.sock}. */
    public static final String VOLUME_DRIVER = "nvidia-docker";

    private final GpuHost host;
    private final String driverVersion;
    private final RequestResolver resolver;
    private final DockerArguments everything;
    private final List<String> allUuids;
    /**
     * Answers by what they depend on: the selected devices, capabilities and volumes. Building the
     * edits checks device nodes and allocates a few hundred objects; under load that showed as a
     * 300 ms p99 on /docker/cli?dev=…, and the answers cannot change while the daemon runs.
     */
    private final Map<AnswerKey, DockerArguments> answers = new ConcurrentHashMap<>();

    private record AnswerKey(List<String> devices, Set<Capability> capabilities, List<DriverVolume> volumes) {}

    /** More distinct answers than this means someone is enumerating; start over rather than grow. */
    private static final int MAX_ANSWERS = 1024;

    /**
     * @param driverVersion the host's driver version, as read once at start
     * @param gpus          the host's GPUs, as read once at start
     * @throws DriverDiscoveryException when the host's driver files or device nodes are unusable
     */
    public GpuArguments(GpuHost host, String driverVersion, List<Gpu> gpus) throws DriverDiscoveryException {
        this.host = host;
        this.driverVersion = driverVersion;
        this.resolver = new RequestResolver(facts(driverVersion, host.cudaVersion(), gpus), P2pTopology.unknown());
        ResolvedRequest all = resolver.resolve(GpuRequest.ofDeviceList(null));
        this.allUuids = all.devices().stream().map(SelectedDevice::uuid).toList();
        this.everything = build(all, DriverVolume.ALL);
    }

    /** All GPUs and all volumes. */
    public DockerArguments everything() {
        return everything;
    }

    /** The UUIDs of every GPU, as the shared path selects them for {@code all}. */
    public List<String> allUuids() {
        return allUuids;
    }

    /**
     * The arguments for nvidia-docker 1.0's {@code dev=} and {@code vol=} lists (null or empty for all).
     *
     * @throws GpuRequestException when {@code dev} names no GPU of this host or is malformed
     * @throws ApiException        (400) when {@code vol} names a volume this plugin does not serve
     */
    public DockerArguments forLists(String dev, String vol) throws DriverDiscoveryException, ApiException {
        List<DriverVolume> volumes = volumes(vol);
        GpuRequest request = GpuRequest.ofDeviceList(dev);
        if (request.selector() instanceof GpuSelector.All && volumes.equals(DriverVolume.ALL)) {
            return everything;
        }
        return build(resolver.resolve(request), volumes);
    }

    /** The arguments for Docker's {@code --gpus} value, with every volume. */
    public DockerArguments forGpusFlag(String gpus) throws DriverDiscoveryException {
        return build(resolver.resolve(RequestSources.ofGpusFlag(gpus), Map.of()), DriverVolume.ALL);
    }

    /**
     * The index of the one GPU {@code id} names (index, UUID or prefix, PCI bus id; a MIG device names its GPU).
     *
     * @throws GpuRequestException when it names none, or is malformed
     */
    public int gpuIndex(String id) throws GpuRequestException {
        String origin = "/v2/gpus/" + id;
        GpuRequest request = new GpuRequest(new GpuSelector.Devices(List.of(DeviceId.parse(id, origin))), origin,
                GpuRequest.DEFAULT_CAPABILITIES, List.of(), Optional.empty());
        return resolver.resolve(request).gpus().getFirst().index();
    }

    private static List<DriverVolume> volumes(String vol) throws ApiException {
        List<String> names = vol == null ? List.of()
                : Arrays.stream(vol.split("[\\s+,]+")).filter(s -> !s.isEmpty()).distinct().toList();
        if (names.isEmpty() || names.equals(List.of("*"))) {
            return DriverVolume.ALL;
        }
        List<DriverVolume> volumes = new ArrayList<>();
        for (String name : names) {
            volumes.add(DriverVolume.named(name).orElseThrow(() -> new ApiException(400, "unknown volume " + name
                    + ": this plugin serves " + String.join(", ", DriverVolume.ALL.stream().map(DriverVolume::name).toList()))));
        }
        return volumes;
    }

    /**
     * Devices from the shared edits; volumes stay the plugin's own, since they name its driver
     * volume. Docker reads the host side of {@code --device}, hence {@link GpuHost#dockerDevice}.
     */
    private DockerArguments build(ResolvedRequest request, List<DriverVolume> volumes) throws DriverDiscoveryException {
        AnswerKey key = new AnswerKey(request.devices().stream().map(SelectedDevice::uuid).toList(),
                request.capabilities(), volumes);
        DockerArguments known = answers.get(key);
        if (known != null) {
            return known;
        }
        DockerArguments built = buildNow(request, volumes);
        if (answers.size() >= MAX_ANSWERS) {
            answers.clear();
        }
        answers.put(key, built);
        return built;
    }

    private DockerArguments buildNow(ResolvedRequest request, List<DriverVolume> volumes) throws DriverDiscoveryException {
        ContainerEdits edits = host.edits(request);
        List<String> devices = dev.nvjrun.driver.edits.DockerArguments.nvidiaDocker1(edits, VOLUME_DRIVER).devices()
                .stream().map(host::dockerDevice).toList();
        return new DockerArguments(VOLUME_DRIVER,
                volumes.stream().map(v -> v.dockerVolumeArgument(driverVersion)).toList(), devices);
    }

    /** The GPU facts the shared resolver works on, from what the host reported at start. */
    static HostGpus facts(String driverVersion, String cudaVersion, List<Gpu> gpus) {
        List<HostGpu> out = new ArrayList<>();
        for (Gpu gpu : gpus) {
            List<HostMigDevice> migs = gpu.migDevices().stream()
                    .map(m -> new HostMigDevice(m.uuid(), m.gpuInstance(), m.computeInstance())).toList();
            out.add(new HostGpu(gpu.index(), gpu.uuid(), gpu.minor(), gpu.pciBusId(), "", "", "", migs));
        }
        return new HostGpus(new HostDriver(driverVersion, cudaVersion), out);
    }
}
