package dev.nvjrun.launcher.gpu;

import dev.nvjrun.runtime.container.ContainerState;
import dev.nvjrun.runtime.container.ContainerStatus;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which nvjrun containers hold which GPUs, read from the {@value #LABEL} label that a GPU container
 * gets at creation. Created containers count as holders too: they are about to start, and a count
 * request between {@code create} and {@code start} must not pick their GPUs.
 */
public record GpuHolders(List<Holder> holders) {

    /** The container label with the comma-separated UUIDs of the GPUs a container was given. */
    public static final String LABEL = "dev.nvjrun.gpus";

    /** One GPU held by one container. */
    public record Holder(String containerId, String containerName, String gpuUuid) {
    }

    public GpuHolders {
        holders = List.copyOf(holders);
    }

    public static GpuHolders of(List<ContainerState> containers) {
        List<Holder> holders = new ArrayList<>();
        for (ContainerState c : containers) {
            String gpus = c.labels().get(LABEL);
            if (gpus == null || gpus.isBlank() || c.status() == ContainerStatus.EXITED) {
                continue;
            }
            for (String uuid : gpus.split(",")) {
                if (!uuid.isBlank()) {
                    holders.add(new Holder(c.id(), c.name(), uuid.strip()));
                }
            }
        }
        return new GpuHolders(holders);
    }

    /** GPU UUID → the name of the (first) container that holds it, as the allocator wants it. */
    public Map<String, String> heldBy() {
        Map<String, String> held = new LinkedHashMap<>();
        holders.forEach(h -> held.putIfAbsent(h.gpuUuid(), h.containerName()));
        return held;
    }
}
