package dev.nvjrun.plugin.request;

import java.util.Set;

/**
 * A parsed Docker {@code --gpus} value.
 *
 * @param selector     which GPUs
 * @param capabilities the driver capabilities asked for ({@code compute}, {@code utility}, …);
 *                     empty when the request did not name any
 */
public record GpuRequest(GpuSelector selector, Set<String> capabilities) {

    public GpuRequest {
        capabilities = Set.copyOf(capabilities);
    }
}
