package dev.nvjrun.driver.request;

import dev.nvjrun.driver.catalog.Capability;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A request checked against the host: the devices the container gets and the driver parts.
 *
 * @param selector     the request's selector, which decides NVIDIA_VISIBLE_DEVICES
 * @param devices      the devices, in the order asked for (index order for all and counts)
 * @param capabilities the driver capabilities
 */
public record ResolvedRequest(GpuSelector selector, List<SelectedDevice> devices, Set<Capability> capabilities) {

    public ResolvedRequest {
        Objects.requireNonNull(selector, "selector");
        devices = List.copyOf(devices);
        capabilities = Set.copyOf(capabilities);
    }

    /** Whether the container gets anything at all ({@code void} gets nothing). */
    public boolean isGpuContainer() {
        return !(selector instanceof GpuSelector.Void);
    }

    /** The GPUs whose device nodes the container needs: whole GPUs and MIG parents, without repeats. */
    public List<HostGpu> gpus() {
        // Repeats told apart by NVML index rather than by record equality: the first equals/hashCode of a
        // record class builds its method handles (ObjectMethods), milliseconds of every GPU container start.
        Map<Integer, HostGpu> byIndex = new LinkedHashMap<>();
        for (SelectedDevice device : devices) {
            byIndex.putIfAbsent(device.gpu().index(), device.gpu());
        }
        return List.copyOf(byIndex.values());
    }
}
