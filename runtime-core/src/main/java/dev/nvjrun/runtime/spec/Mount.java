package dev.nvjrun.runtime.spec;

import java.util.Set;

/**
 * One mount the helper performs, in list order, before pivot_root. The target is a path inside the
 * container; for bind mounts the source is a host path. {@code data} is the file system's option
 * string (for example {@code size=64m}), empty when none.
 */
public record Mount(String source, String target, String type, Set<MountFlag> flags, String data) {
    public Mount {
        if (target == null || !target.startsWith("/") || target.contains("/../") || target.endsWith("/..")) {
            throw new IllegalArgumentException("mount target '" + target + "' must be an absolute path inside the container without '..'");
        }
        flags = Set.copyOf(flags);
        data = data == null ? "" : data;
    }

    /** A bind mount of a host path, read-only when asked. */
    public static Mount bind(String hostPath, String containerPath, boolean readOnly) {
        return new Mount(hostPath, containerPath, "bind",
                readOnly ? Set.of(MountFlag.BIND, MountFlag.REC, MountFlag.RDONLY) : Set.of(MountFlag.BIND, MountFlag.REC), "");
    }

    public long flagBits() {
        return flags.stream().mapToLong(MountFlag::bit).reduce(0, (a, b) -> a | b);
    }
}
