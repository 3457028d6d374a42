package dev.nvjrun.driver.edits;

import dev.nvjrun.driver.DriverDiscoveryException;
import dev.nvjrun.driver.HostRoots;
import dev.nvjrun.driver.catalog.Capability;
import dev.nvjrun.driver.catalog.DriverCatalog;
import dev.nvjrun.driver.catalog.DriverFile;
import dev.nvjrun.driver.catalog.FileKind;
import dev.nvjrun.driver.devices.DeviceNode;
import dev.nvjrun.driver.devices.NvidiaDevices;
import dev.nvjrun.driver.request.GpuSelector;
import dev.nvjrun.driver.request.HostGpu;
import dev.nvjrun.driver.request.ResolvedRequest;
import dev.nvjrun.driver.request.SelectedDevice;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Computes the {@link ContainerEdits} of a resolved GPU request: the one path from a request to
 * what a container gets, shared by {@code nvjrun run} and the plugin's {@code /docker/cli}.
 *
 * <p>Devices: {@code nvidiactl}, {@code nvidia-uvm} and {@code nvidia-uvm-tools} (when the module
 * is loaded), {@code nvidia-modeset} only with {@code display}, then the selected GPUs, then the
 * access nodes of selected MIG devices. Driver files go to nvidia-docker 1.0's volume layout
 * ({@code /usr/local/nvidia/lib64}, {@code lib} for 32-bit, {@code bin}), one read-only mount per
 * file, or the driver volume directory when one is given; firmware, IPC sockets and graphics
 * loader files keep their host paths.
 *
 * <p>The driver files of each capability set are read once for the life of this object (and its
 * {@code with…} copies): make a new one after a driver upgrade. Device nodes are checked on every call.
 */
public final class DriverInjection {

    public static final String VOLUME_PATH = "/usr/local/nvidia";
    public static final String LIB64 = VOLUME_PATH + "/lib64";
    public static final String LIB32 = VOLUME_PATH + "/lib";
    public static final String BIN = VOLUME_PATH + "/bin";
    public static final String LD_SO_CONF = "/etc/ld.so.conf.d/000-nvjrun-nvidia.conf";

    private final HostRoots roots;
    private final DriverCatalog catalog;
    private final NvidiaDevices nodes;
    private final String driverVersion;
    private final Optional<Mount.DriverVolume> volume;
    private final Optional<LdconfigRun> ldconfig;
    /** Driver files per capability set: reading ld.so.cache and ELF headers is too slow for every plugin request. */
    private final Map<Set<Capability>, List<DriverFile>> filesByCapabilities;

    /**
     * @param driverVersion the running driver's version, which decides which library files are taken
     */
    public DriverInjection(HostRoots roots, DriverCatalog catalog, NvidiaDevices nodes, String driverVersion) {
        this(roots, catalog, nodes, driverVersion, Optional.empty(), LdconfigRun.onHost(), new ConcurrentHashMap<>());
    }

    private DriverInjection(HostRoots roots, DriverCatalog catalog, NvidiaDevices nodes, String driverVersion,
                            Optional<Mount.DriverVolume> volume, Optional<LdconfigRun> ldconfig,
                            Map<Set<Capability>, List<DriverFile>> filesByCapabilities) {
        this.roots = Objects.requireNonNull(roots, "roots");
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.nodes = Objects.requireNonNull(nodes, "nodes");
        this.driverVersion = Objects.requireNonNull(driverVersion, "driverVersion");
        this.volume = volume;
        this.ldconfig = ldconfig;
        this.filesByCapabilities = filesByCapabilities;
    }

    /**
     * The same, but mounting nvidia-docker 1.0's driver volume directory (its {@code bin},
     * {@code lib}, {@code lib64}) at {@code /usr/local/nvidia} instead of one mount per file.
     */
    public DriverInjection withDriverVolume(String volumeName, Path hostDirectory) {
        return new DriverInjection(roots, catalog, nodes, driverVersion,
                Optional.of(new Mount.DriverVolume(volumeName, hostDirectory, VOLUME_PATH)), ldconfig, filesByCapabilities);
    }

    /** The same, with this ldconfig (or none: the runtime then relies on the symlinks alone). */
    public DriverInjection withLdconfig(Optional<LdconfigRun> run) {
        return new DriverInjection(roots, catalog, nodes, driverVersion, volume, run, filesByCapabilities);
    }

    public ContainerEdits edits(ResolvedRequest request) throws DriverDiscoveryException {
        if (!request.isGpuContainer()) {
            return ContainerEdits.none();
        }
        Set<Capability> caps = request.capabilities();
        List<DriverFile> files = driverFiles(caps);
        List<Mount> mounts = new ArrayList<>();
        List<Symlink> links = new ArrayList<>();
        volume.ifPresent(mounts::add);
        Set<String> targets = new LinkedHashSet<>();
        for (DriverFile file : files) {
            String name = file.hostPath().getFileName().toString();
            switch (file.kind()) {
                case LIB64, LIB32 -> {
                    if (volume.isEmpty()) {
                        String dir = file.kind() == FileKind.LIB64 ? LIB64 : LIB32;
                        addBind(mounts, targets, new Mount.Bind(file.hostPath(), dir + "/" + name, true));
                        file.soname().filter(s -> !s.equals(name))
                                .map(s -> new Symlink(dir + "/" + s, name))
                                .filter(l -> !targets.contains(l.containerPath()) && links.stream()
                                        .noneMatch(x -> x.containerPath().equals(l.containerPath())))
                                .ifPresent(links::add);
                    }
                }
                case BIN -> {
                    if (volume.isEmpty()) {
                        addBind(mounts, targets, new Mount.Bind(file.hostPath(), BIN + "/" + name, true));
                    }
                }
                case FIRMWARE -> addBind(mounts, targets, new Mount.Bind(file.hostPath(), hostPathOf(file.hostPath()), true));
                case IPC -> addBind(mounts, targets, new Mount.Bind(file.hostPath(), hostPathOf(file.hostPath()),
                        file.capability() != Capability.COMPUTE));
                case DEVICE -> {
                    // nvidia-modeset: a device node, added below with the others.
                }
            }
        }
        for (Mount.Bind bind : GraphicsConfigFiles.find(roots, caps)) {
            addBind(mounts, targets, bind);
        }
        Map<String, String> env = new LinkedHashMap<>();
        env.put("NVIDIA_VISIBLE_DEVICES", visibleDevices(request));
        env.put("NVIDIA_DRIVER_CAPABILITIES", capabilities(caps));
        boolean libraries = volume.isPresent() || files.stream().anyMatch(DriverFile::isLibrary);
        List<ContainerFile> conf = libraries
                ? List.of(new ContainerFile(LD_SO_CONF, LIB64 + "\n" + LIB32 + "\n")) : List.of();
        return new ContainerEdits(devices(request), mounts, links, env, List.of(BIN), conf,
                libraries ? ldconfig : Optional.empty());
    }

    private List<DriverFile> driverFiles(Set<Capability> caps) throws DriverDiscoveryException {
        if (caps.isEmpty()) {
            return List.of();
        }
        List<DriverFile> files = filesByCapabilities.get(caps);
        if (files == null) {
            files = catalog.find(caps, driverVersion);
            filesByCapabilities.putIfAbsent(Set.copyOf(caps), files);
        }
        return files;
    }

    private List<DeviceNode> devices(ResolvedRequest request) throws DriverDiscoveryException {
        Map<String, DeviceNode> out = new LinkedHashMap<>();
        boolean display = request.capabilities().contains(Capability.DISPLAY);
        for (DeviceNode control : nodes.controlDevices()) {
            if (display || !control.path().equals("/dev/nvidia-modeset")) {
                out.putIfAbsent(control.path(), control);
            }
        }
        for (DeviceNode gpu : nodes.gpus(request.gpus().stream().map(HostGpu::minor).toList())) {
            out.putIfAbsent(gpu.path(), gpu);
        }
        for (SelectedDevice device : request.devices()) {
            if (device instanceof SelectedDevice.MigSlice(HostGpu gpu, var mig)) {
                for (DeviceNode node : nodes.migDevice(gpu.minor(), mig.gpuInstance(), mig.computeInstance())) {
                    out.putIfAbsent(node.path(), node);
                }
            }
        }
        return List.copyOf(out.values());
    }

    /**
     * NVIDIA_VISIBLE_DEVICES as seen inside: {@code all} and {@code none} as asked, otherwise the
     * UUIDs of the devices given. UUIDs rather than host indexes because the container sees only its
     * own GPUs, numbered from 0, and CUDA_VISIBLE_DEVICES accepts UUIDs, so a program that copies
     * one into the other still finds its GPUs.
     */
    private static String visibleDevices(ResolvedRequest request) {
        return switch (request.selector()) {
            case GpuSelector.All all -> "all";
            case GpuSelector.None none -> "none";
            default -> request.devices().isEmpty() ? "none"
                    : request.devices().stream().map(SelectedDevice::uuid).collect(Collectors.joining(","));
        };
    }

    private static String capabilities(Set<Capability> caps) {
        if (caps.containsAll(Set.of(Capability.values()))) {
            return "all";
        }
        List<String> names = new ArrayList<>();
        for (Capability c : Capability.values()) {
            if (caps.contains(c)) {
                names.add(c.toString());
            }
        }
        return String.join(",", names);
    }

    /** The absolute path a file has on the host, for mounts that keep their path. */
    private String hostPathOf(Path real) {
        Path relative = roots.driverRoot().relativize(real);
        return "/" + relative.toString().replace('\\', '/');
    }

    private static void addBind(List<Mount> mounts, Set<String> targets, Mount.Bind bind) {
        if (targets.add(bind.containerPath())) {
            mounts.add(bind);
        }
    }
}
