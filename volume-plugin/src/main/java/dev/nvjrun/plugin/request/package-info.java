/**
 * GPU requests: Docker's {@code --gpus} syntax and nvidia-docker 1.0's device lists parsed into
 * a {@link dev.nvjrun.plugin.request.GpuSelector}, and resolved against the host's GPUs.
 * Nothing here knows about HTTP, so the launcher can share it.
 */
package dev.nvjrun.plugin.request;
