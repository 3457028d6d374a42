package dev.nvjrun.launcher.gpu;

import dev.nvjrun.driver.DriverDiscoveryException;
import dev.nvjrun.driver.catalog.DriverCatalog;
import dev.nvjrun.driver.devices.NvidiaDevices;
import dev.nvjrun.driver.edits.DriverInjection;
import dev.nvjrun.driver.request.GpuRequest;
import dev.nvjrun.driver.request.GpuRequestException;
import dev.nvjrun.driver.request.GpuSelector;
import dev.nvjrun.driver.request.HostGpus;
import dev.nvjrun.driver.request.RequestResolver;
import dev.nvjrun.driver.request.RequestSources;
import dev.nvjrun.driver.request.ResolvedRequest;
import dev.nvjrun.launcher.HostSelection;
import dev.nvjrun.nvml.NvmlSession;

import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The launcher's end of the one GpuRequest → ContainerEdits path: decides from the request sources
 * alone whether a container is a GPU container, and only then opens NVML, so that a plain
 * {@code nvjrun run} never pays for loading the driver.
 */
public final class ContainerGpus {

    private final HostSelection host;

    public ContainerGpus(HostSelection host) {
        this.host = host;
    }

    /**
     * @param heldBy GPU UUID → container holding it; asked only for a count request
     * @return empty when the sources make no GPU container
     */
    public Optional<GpuAssignment> assign(RequestSources sources, Supplier<Map<String, String>> heldBy)
            throws DriverDiscoveryException {
        GpuRequestException malformed = null;
        GpuRequest request = null;
        try {
            request = GpuRequest.from(sources);
            if (request.selector() instanceof GpuSelector.Void) {
                return Optional.empty();
            }
        } catch (GpuRequestException e) {
            // Resolving against the host below repeats it with the host's driver and CUDA versions.
            malformed = e;
        }
        DriverCatalog catalog = host.catalog();
        NvmlSession opened;
        try {
            opened = host.openNvml(catalog);
        } catch (DriverDiscoveryException | RuntimeException e) {
            if (malformed != null) {
                throw malformed;
            }
            throw e;
        }
        try (NvmlSession nvml = opened) {
            HostGpus facts = NvmlHostFacts.gpus(nvml);
            RequestResolver resolver = new RequestResolver(facts, NvmlHostFacts.topology(nvml));
            if (malformed != null) {
                resolver.resolve(sources, Map.of()); // throws, now naming the host
                throw malformed;
            }
            // Only a count looks at other containers: listing them costs a store read on every GPU run.
            Map<String, String> held = request.selector() instanceof GpuSelector.Count ? heldBy.get() : Map.of();
            ResolvedRequest resolved = resolver.resolve(request, held);
            var edits = new DriverInjection(host.roots(), catalog, new NvidiaDevices(host.roots()),
                    facts.driver().driverVersion()).edits(resolved);
            return Optional.of(new GpuAssignment(resolved, edits));
        }
    }
}
