package dev.nvjrun.launcher.cdi;

import java.util.regex.Pattern;

/** The {@code vendor/class} of CDI device names, checked as the CDI library checks it. */
final class DeviceKind {
    /** A DNS-like vendor: letters and digits, with '-', '_' and '.' inside. */
    private static final Pattern VENDOR = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?");
    private static final Pattern CLASS = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9_-]*[A-Za-z0-9])?");

    private DeviceKind() {
    }

    static String of(String vendor, String deviceClass) throws CdiException {
        if (!VENDOR.matcher(vendor).matches()) {
            throw new CdiException("invalid CDI vendor \"" + vendor + "\": use letters, digits, '.', '-' and '_',"
                    + " starting and ending with a letter or digit (e.g. nvidia.com)");
        }
        if (!CLASS.matcher(deviceClass).matches()) {
            throw new CdiException("invalid CDI class \"" + deviceClass + "\": use letters, digits, '-' and '_',"
                    + " starting and ending with a letter or digit (e.g. gpu)");
        }
        return vendor + "/" + deviceClass;
    }
}
