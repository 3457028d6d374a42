package dev.nvjrun.fakegpu.driver;

/** A character device node of the fake host, relative to its root (e.g. dev/nvidia0, 195:0). */
public record DeviceNode(String path, int major, int minor) {
}
