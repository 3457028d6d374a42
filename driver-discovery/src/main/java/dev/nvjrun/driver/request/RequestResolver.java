package dev.nvjrun.driver.request;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resolves a {@link GpuRequest} against the host: finds the named devices, lets the allocator pick
 * for a count, and checks the requirements. Explicit device lists are honoured even when another
 * container holds those GPUs.
 */
public final class RequestResolver {

    private static final Logger LOG = LoggerFactory.getLogger(RequestResolver.class);

    private final HostGpus host;
    private final GpuAllocator allocator;

    public RequestResolver(HostGpus host, P2pTopology topology) {
        this.host = host;
        this.allocator = new GpuAllocator(host, topology);
    }

    /**
     * Parses the sources ({@link GpuRequest#from}) and resolves the request: the launcher's one call.
     * Syntax errors, which parsing alone cannot relate to a host, get the host's driver, CUDA and GPUs added.
     *
     * @param heldBy the GPUs running containers hold: GPU UUID → container name
     */
    public ResolvedRequest resolve(RequestSources sources, Map<String, String> heldBy) throws GpuRequestException {
        GpuRequest request;
        try {
            request = GpuRequest.from(sources);
        } catch (GpuRequestException e) {
            throw new GpuRequestException(e.getMessage() + "; this host has " + host.driver().describe() + " and "
                    + host.describeGpus());
        }
        return resolve(request, heldBy);
    }

    /** Resolves with no GPU held by anyone (the plugin's case). */
    public ResolvedRequest resolve(GpuRequest request) throws GpuRequestException {
        return resolve(request, Map.of());
    }

    /**
     * @param heldBy the GPUs running containers hold: GPU UUID → container name; counts avoid them
     */
    public ResolvedRequest resolve(GpuRequest request, Map<String, String> heldBy) throws GpuRequestException {
        List<SelectedDevice> devices = switch (request.selector()) {
            case GpuSelector.Void v -> List.of();
            case GpuSelector.None n -> List.of();
            case GpuSelector.All a -> whole(host.gpus());
            case GpuSelector.Count(int count) -> whole(allocator.pick(count, heldBy));
            case GpuSelector.Devices(List<DeviceId> ids) -> named(ids, request.selectorOrigin(), heldBy);
        };
        ResolvedRequest resolved = new ResolvedRequest(request.selector(), devices, request.capabilities());
        if (resolved.isGpuContainer()) {
            checkImageCudaLabel(request);
            new RequirementCheck(host.driver()).verify(request.requirements(), resolved.gpus());
        }
        return resolved;
    }

    /** One device by any id form; also what the plugin's {@code /v2/gpus/{id}} needs. */
    public SelectedDevice find(DeviceId id, String origin) throws GpuRequestException {
        return switch (id) {
            case DeviceId.Index(int index, String text) -> new SelectedDevice.WholeGpu(host.gpus().stream()
                    .filter(g -> g.index() == index).findFirst().orElseThrow(() -> unknown(text, origin)));
            case DeviceId.UuidPrefix(String prefix, String text) -> new SelectedDevice.WholeGpu(
                    unique(host.gpus().stream().filter(g -> startsWith(g.uuid(), prefix)).toList(), text, origin));
            case DeviceId.PciBusId(String busId, String text) -> new SelectedDevice.WholeGpu(host.gpus().stream()
                    .filter(g -> !g.pciBusId().isEmpty() && busKey(g.pciBusId()).equals(busKey(busId)))
                    .findFirst().orElseThrow(() -> unknown(text, origin)));
            case DeviceId.MigIndex(int gpu, int mig, String text) -> {
                HostGpu parent = host.gpus().stream().filter(g -> g.index() == gpu).findFirst()
                        .orElseThrow(() -> unknown(text, origin));
                if (mig >= parent.migDevices().size()) {
                    throw new GpuRequestException("unknown MIG device '" + text + "' in " + origin + ": GPU " + gpu
                            + " of this host (" + host.driver().describe() + ") has " + migList(parent)
                            + ", so name one of those or create MIG instances with nvidia-smi mig");
                }
                yield new SelectedDevice.MigSlice(parent, parent.migDevices().get(mig));
            }
            case DeviceId.MigUuid(String prefix, String text) -> {
                List<SelectedDevice> matches = new ArrayList<>();
                for (HostGpu g : host.gpus()) {
                    g.migDevices().stream().filter(m -> startsWith(m.uuid(), prefix))
                            .forEach(m -> matches.add(new SelectedDevice.MigSlice(g, m)));
                }
                if (matches.isEmpty()) {
                    throw new GpuRequestException("unknown MIG device '" + text + "' in " + origin + ": this host ("
                            + host.driver().describe() + ") has " + allMigs() + ", so name one of those");
                }
                if (matches.size() > 1) {
                    throw ambiguous(text, origin, matches.size());
                }
                yield matches.getFirst();
            }
        };
    }

    private List<SelectedDevice> named(List<DeviceId> ids, String origin, Map<String, String> heldBy)
            throws GpuRequestException {
        Set<SelectedDevice> out = new LinkedHashSet<>();
        for (DeviceId id : ids) {
            SelectedDevice device = find(id, origin);
            if (heldBy.containsKey(device.gpu().uuid())) {
                LOG.info("GPU {} is shared with container {} because it was asked for by name",
                        device.gpu().index(), heldBy.get(device.gpu().uuid()));
            }
            out.add(device);
        }
        return List.copyOf(out);
    }

    private void checkImageCudaLabel(GpuRequest request) throws GpuRequestException {
        if (request.imageCudaVersion().isEmpty()) {
            return;
        }
        String image = request.imageCudaVersion().get().strip();
        var m = Pattern.compile("(\\d+)\\.(\\d+)(\\.\\d+)*").matcher(image);
        if (!m.matches()) {
            throw new GpuRequestException("malformed image label " + GpuRequest.LABEL_CUDA_VERSION + "='" + image
                    + "': it should read like 12.4 (host " + host.driver().describe()
                    + "); fix the label or set NVIDIA_DISABLE_REQUIRE=true");
        }
        String wanted = m.group(1) + "." + m.group(2);
        if (DottedVersion.isValid(host.driver().cudaVersion())
                && DottedVersion.compare(host.driver().cudaVersion(), wanted) < 0) {
            // The first words are nvidia-docker 1.0's own message, which scripts may look for.
            throw new GpuRequestException("unsupported CUDA version: driver " + host.driver().cudaVersion() + " < image "
                    + image + " (host driver " + host.driver().driverVersion() + "); install a driver that supports CUDA "
                    + wanted + " or newer, or run an image built for CUDA " + host.driver().cudaVersion() + " or older");
        }
    }

    private static List<SelectedDevice> whole(List<HostGpu> gpus) {
        return gpus.stream().<SelectedDevice>map(SelectedDevice.WholeGpu::new).toList();
    }

    private HostGpu unique(List<HostGpu> matches, String text, String origin) throws GpuRequestException {
        if (matches.isEmpty()) {
            throw unknown(text, origin);
        }
        if (matches.size() > 1) {
            throw ambiguous(text, origin, matches.size());
        }
        return matches.getFirst();
    }

    private GpuRequestException unknown(String text, String origin) {
        return new GpuRequestException("unknown device '" + text + "' in " + origin + ": this host ("
                + host.driver().describe() + ") has " + host.describeGpus() + ", so name one of those by index or UUID");
    }

    private GpuRequestException ambiguous(String text, String origin, int count) {
        return new GpuRequestException("ambiguous device '" + text + "' in " + origin + ": it starts " + count
                + " UUIDs on this host (" + host.driver().describe() + "), so give more of the UUID");
    }

    private static boolean startsWith(String uuid, String prefix) {
        return uuid.regionMatches(true, 0, prefix, 0, prefix.length());
    }

    private static String migList(HostGpu gpu) {
        if (gpu.migDevices().isEmpty()) {
            return "no MIG devices";
        }
        List<String> names = new ArrayList<>();
        for (int i = 0; i < gpu.migDevices().size(); i++) {
            names.add(gpu.index() + ":" + i + " (" + gpu.migDevices().get(i).uuid() + ")");
        }
        return "MIG devices " + String.join(", ", names);
    }

    private String allMigs() {
        String list = host.gpus().stream().filter(g -> !g.migDevices().isEmpty()).map(RequestResolver::migList)
                .collect(Collectors.joining("; "));
        return list.isEmpty() ? "no MIG devices" : list;
    }

    /** "00000000:3B:00.0", "0000:3b:00.0" and "3b:00.0" all become "0:3b:0.0". */
    private static String busKey(String busId) {
        String[] parts = busId.toLowerCase(Locale.ROOT).split("[:.]");
        if (parts.length < 3) {
            return busId;
        }
        int n = parts.length;
        String domain = n == 4 ? parts[0] : "0";
        try {
            return Long.parseLong(domain, 16) + ":" + Long.parseLong(parts[n - 3], 16) + ":"
                    + Long.parseLong(parts[n - 2], 16) + "." + parts[n - 1];
        } catch (NumberFormatException e) {
            return busId;
        }
    }
}
