package dev.nvjrun.nvml;

/** Framebuffer or BAR1 memory, in bytes. */
public record MemoryUsage(long total, long free, long used) {
    private static final long MIB = 1024 * 1024;

    public long totalMiB() {
        return total / MIB;
    }

    public long usedMiB() {
        return used / MIB;
    }
}
