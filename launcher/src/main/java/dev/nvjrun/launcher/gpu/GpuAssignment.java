package dev.nvjrun.launcher.gpu;

import dev.nvjrun.driver.edits.ContainerEdits;
import dev.nvjrun.driver.request.ResolvedRequest;
import dev.nvjrun.driver.request.SelectedDevice;

import java.util.List;

/**
 * What one GPU container was given: the resolved request and the container edits it turns into.
 *
 * @param request the GPUs and capabilities after precedence, allocation and requirement checks
 * @param edits   device nodes, driver mounts, environment and the ld.so.conf.d entry
 */
public record GpuAssignment(ResolvedRequest request, ContainerEdits edits) {

    /** The UUIDs of the selected GPUs (parents of MIG devices), in order, each once. */
    public List<String> gpuUuids() {
        return request.devices().stream().map(SelectedDevice::gpu).map(g -> g.uuid()).distinct().toList();
    }
}
