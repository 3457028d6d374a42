/**
 * The daemon's inputs: what it needs to know about the GPU host, as small records and one
 * interface ({@link dev.nvjrun.plugin.host.GpuHost}), and its real implementation over the
 * discovery and NVML modules ({@link dev.nvjrun.plugin.host.NvmlGpuHost}).
 */
package dev.nvjrun.plugin.host;
