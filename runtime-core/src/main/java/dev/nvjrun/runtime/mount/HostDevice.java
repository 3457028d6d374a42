package dev.nvjrun.runtime.mount;

import dev.nvjrun.runtime.spec.DeviceNode;
import dev.nvjrun.runtime.spec.DeviceRule;
import dev.nvjrun.runtime.spec.DeviceType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code --device host[:container[:rwm]]}: the node to create in the container and the cgroup rule that opens it. */
public record HostDevice(DeviceNode node, DeviceRule rule) {
    private static final int S_IFMT = 0170000;
    private static final int S_IFCHR = 0020000;
    private static final int S_IFBLK = 0060000;

    /** Reads type, major, minor, mode and owner of a host device node (symlinks followed, as Docker does). */
    public static HostDevice of(Path hostPath, String containerPath, String access) {
        int mode;
        long rdev;
        int uid;
        int gid;
        try {
            mode = (Integer) Files.getAttribute(hostPath, "unix:mode");
            rdev = (Long) Files.getAttribute(hostPath, "unix:rdev");
            uid = (Integer) Files.getAttribute(hostPath, "unix:uid");
            gid = (Integer) Files.getAttribute(hostPath, "unix:gid");
        } catch (IOException e) {
            throw new IllegalArgumentException("device " + hostPath + " cannot be read (" + e.getMessage() + "); give an existing device node");
        }
        DeviceType type = switch (mode & S_IFMT) {
            case S_IFCHR -> DeviceType.CHAR;
            case S_IFBLK -> DeviceType.BLOCK;
            default -> throw new IllegalArgumentException(hostPath + " is not a character or block device; --device takes device nodes such as /dev/fuse");
        };
        // Linux dev_t: major in bits 8-19 and 32-43, minor in bits 0-7 and 20-31.
        int major = (int) (((rdev >>> 8) & 0xfff) | ((rdev >>> 32) & ~0xfffL));
        int minor = (int) ((rdev & 0xff) | ((rdev >>> 12) & ~0xffL));
        String target = containerPath == null || containerPath.isEmpty() ? hostPath.toString() : containerPath;
        DeviceNode node = new DeviceNode(target, type, major, minor, mode & 07777, uid, gid);
        return new HostDevice(node, new DeviceRule(true, type, major, minor, access == null || access.isEmpty() ? "rwm" : access));
    }
}
