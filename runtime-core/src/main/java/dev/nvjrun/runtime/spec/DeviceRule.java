package dev.nvjrun.runtime.spec;

/**
 * One device cgroup rule. A major or minor of -1 means any ({@code *} in devices.allow);
 * access is a combination of r, w and m.
 */
public record DeviceRule(boolean allow, DeviceType type, int major, int minor, String access) {
    public DeviceRule {
        if (access == null || access.isEmpty() || !access.matches("[rwm]{1,3}")) {
            throw new IllegalArgumentException("device access '" + access + "' must be made of r, w and m");
        }
    }

    /** The line devices.allow and devices.deny understand, e.g. {@code c 1:3 rwm}. */
    public String cgroupV1Line() {
        return type.letter() + " " + (major < 0 ? "*" : major) + ":" + (minor < 0 ? "*" : minor) + " " + access;
    }
}
