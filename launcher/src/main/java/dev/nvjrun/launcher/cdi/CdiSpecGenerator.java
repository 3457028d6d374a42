package dev.nvjrun.launcher.cdi;

import dev.nvjrun.driver.DriverDiscoveryException;
import dev.nvjrun.driver.HostRoots;
import dev.nvjrun.driver.devices.DeviceNode;
import dev.nvjrun.driver.edits.ContainerEdits;
import dev.nvjrun.driver.edits.DriverInjection;
import dev.nvjrun.driver.edits.Mount;
import dev.nvjrun.driver.edits.Symlink;
import dev.nvjrun.driver.request.HostGpu;
import dev.nvjrun.driver.request.HostGpus;
import dev.nvjrun.driver.request.P2pTopology;
import dev.nvjrun.driver.request.RequestResolver;
import dev.nvjrun.driver.request.RequestSources;
import dev.nvjrun.driver.request.ResolvedRequest;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns the host's GPUs into a CDI spec through the same {@code GpuRequest → ContainerEdits} path
 * as {@code nvjrun run --gpus all,capabilities=all}: one device per GPU named by its index, the same
 * GPU again under its UUID, and {@code all}; every device carries only its {@code /dev/nvidiaN}. The
 * spec-wide edits are the control devices that exist on the host and every driver file, bind-mounted
 * read-only at its own host path as nvidia-ctk does (not at nvidia-docker 1.0's
 * {@code /usr/local/nvidia}, which needs an ld.so.conf.d entry CDI cannot write).
 *
 * <p>A CDI runtime creates no symlinks and runs no ldconfig unless a hook does, and a hook needs a
 * program that finds the container's root. Instead each library is also mounted at its SONAME
 * ({@code libcuda.so.1}), so the dynamic linker finds the driver in any image without ldconfig.
 */
public final class CdiSpecGenerator {

    static final List<String> READ_ONLY = List.of("ro", "nosuid", "nodev", "bind");
    static final List<String> READ_WRITE = List.of("rw", "nosuid", "nodev", "bind");

    private final HostRoots roots;
    private final DriverInjection injection;

    public CdiSpecGenerator(HostRoots roots, DriverInjection injection) {
        this.roots = roots;
        this.injection = injection;
    }

    /** @param kind {@code vendor/class} */
    public CdiSpec generate(HostGpus host, String kind) throws DriverDiscoveryException, CdiException {
        if (host.gpus().isEmpty()) {
            throw new CdiException("the host has no NVIDIA GPUs (NVML lists none), so there is nothing to put in a CDI spec");
        }
        ResolvedRequest all = new RequestResolver(host, P2pTopology.unknown())
                .resolve(RequestSources.ofGpusFlag("all,capabilities=all"), Map.of());
        ContainerEdits edits = injection.edits(all);

        Map<String, DeviceNode> gpuNodes = new LinkedHashMap<>();
        List<CdiSpec.DeviceNode> control = new ArrayList<>();
        for (DeviceNode node : edits.devices()) {
            if (host.gpus().stream().anyMatch(g -> g.devicePath().equals(node.path()))) {
                gpuNodes.put(node.path(), node);
            } else if (Files.exists(roots.inDevRoot(node.path()), LinkOption.NOFOLLOW_LINKS)) {
                // modeset and uvm only where the driver created them: a runtime refuses a missing node.
                control.add(cdiNode(node));
            }
        }
        List<CdiSpec.Device> devices = new ArrayList<>();
        List<CdiSpec.Device> byUuid = new ArrayList<>();
        List<CdiSpec.DeviceNode> everyGpu = new ArrayList<>();
        for (HostGpu gpu : host.gpus()) {
            DeviceNode node = gpuNodes.get(gpu.devicePath());
            if (node == null || !Files.exists(roots.inDevRoot(node.path()), LinkOption.NOFOLLOW_LINKS)) {
                throw new CdiException(roots.inDevRoot(gpu.devicePath()) + " of GPU " + gpu.index()
                        + " does not exist; create the device nodes first (nvidia-modprobe -c " + gpu.minor() + ")");
            }
            CdiSpec.Edits own = new CdiSpec.Edits(List.of(), List.of(cdiNode(node)), List.of(), List.of());
            devices.add(new CdiSpec.Device(Integer.toString(gpu.index()), own));
            byUuid.add(new CdiSpec.Device(gpu.uuid(), own));
            everyGpu.add(cdiNode(node));
        }
        devices.addAll(byUuid);
        devices.add(new CdiSpec.Device("all", new CdiSpec.Edits(List.of(), everyGpu, List.of(), List.of())));
        CdiSpec.Edits shared = new CdiSpec.Edits(environment(edits), control, List.of(), mounts(edits));
        return new CdiSpec(CdiSpec.VERSION, kind, devices, shared);
    }

    /** The capabilities, so that images that read them (and nvidia-container-toolkit) see what they got. */
    private static List<String> environment(ContainerEdits edits) {
        return Optional.ofNullable(edits.environment().get("NVIDIA_DRIVER_CAPABILITIES"))
                .map(v -> List.of("NVIDIA_DRIVER_CAPABILITIES=" + v)).orElse(List.of());
    }

    private CdiSpec.DeviceNode cdiNode(DeviceNode node) {
        return new CdiSpec.DeviceNode(node.path(), roots.inDevRoot(node.path()).toString(), "c",
                (long) node.major(), (long) node.minor(), null, null);
    }

    private List<CdiSpec.Mount> mounts(ContainerEdits edits) {
        List<CdiSpec.Mount> out = new ArrayList<>();
        Map<String, Path> hostFileAt = new LinkedHashMap<>();
        for (Mount mount : edits.mounts()) {
            if (mount instanceof Mount.Bind bind) {
                String target = hostPathOf(bind.hostPath());
                hostFileAt.put(bind.containerPath(), bind.hostPath());
                out.add(new CdiSpec.Mount(bind.hostPath().toString(), target, bind.readOnly() ? READ_ONLY : READ_WRITE));
            }
        }
        for (Symlink link : edits.symlinks()) {
            String dir = link.containerPath().substring(0, link.containerPath().lastIndexOf('/'));
            Path file = hostFileAt.get(dir + "/" + link.target());
            if (file != null) {
                String soname = link.containerPath().substring(dir.length() + 1);
                String target = hostPathOf(file.getParent().resolve(soname));
                if (out.stream().noneMatch(m -> m.containerPath().equals(target))) {
                    out.add(new CdiSpec.Mount(file.toString(), target, READ_ONLY));
                }
            }
        }
        return out;
    }

    /** The path a driver file has on the host seen from "/", which is where it goes in the container. */
    private String hostPathOf(Path real) {
        return "/" + roots.driverRoot().relativize(real).toString();
    }
}
