package dev.nvjrun.plugin.host;

/**
 * A character device node a container needs.
 *
 * @param path  path inside the container and on the host, for example {@code /dev/nvidiactl}
 * @param major device major number
 * @param minor device minor number
 */
public record DeviceNode(String path, int major, int minor) {
}
