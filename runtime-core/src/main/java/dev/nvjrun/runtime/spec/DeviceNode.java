package dev.nvjrun.runtime.spec;

/** A device node the helper creates inside the container's /dev (mode includes permission bits only). */
public record DeviceNode(String path, DeviceType type, int major, int minor, int mode, int uid, int gid) {
    public DeviceNode {
        if (path == null || !path.startsWith("/dev/") || path.contains("..")) {
            throw new IllegalArgumentException("device path '" + path + "' must lie under /dev without '..'");
        }
    }

    public static DeviceNode charDevice(String path, int major, int minor) {
        return new DeviceNode(path, DeviceType.CHAR, major, minor, 0666, 0, 0);
    }

    /** The cgroup rule that lets the container read, write and mknod this node. */
    public DeviceRule allowRule() {
        return new DeviceRule(true, type, major, minor, "rwm");
    }
}
