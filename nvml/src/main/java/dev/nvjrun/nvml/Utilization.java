package dev.nvjrun.nvml;

/** Percent of the last sample period the GPU ran kernels and its memory was read or written. */
public record Utilization(int gpu, int memory) {
}
