package dev.nvjrun.launcher.container;

import dev.nvjrun.runtime.mount.HostDevice;

import java.nio.file.Path;
import java.util.List;

/** {@code --device host[:container][:rwm]}: the host node, where it appears and the access granted. */
record DeviceRequest(Path host, String container, String access) {

    static DeviceRequest parse(String text) {
        String[] parts = text.split(":", -1);
        if (parts.length > 3 || parts[0].isEmpty() || !parts[0].startsWith("/")) {
            throw new IllegalArgumentException("device '" + text + "' is invalid; use --device /dev/host[:/dev/container][:rwm]");
        }
        String container = parts[0];
        String access = "rwm";
        if (parts.length == 2) {
            if (parts[1].matches("[rwm]{1,3}")) {
                access = parts[1];
            } else {
                container = parts[1];
            }
        } else if (parts.length == 3) {
            container = parts[1];
            access = parts[2];
        }
        if (!access.matches("[rwm]{1,3}")) {
            throw new IllegalArgumentException("device access '" + access + "' in '" + text + "' must be made of r, w and m");
        }
        if (!container.startsWith("/dev/")) {
            throw new IllegalArgumentException("device '" + text + "' must appear under /dev in the container");
        }
        return new DeviceRequest(Path.of(parts[0]), container, access);
    }

    SpecEdit edit() {
        HostDevice device = HostDevice.of(host, container, access);
        return FlagEdits.ofDevices(List.of(device.node()), List.of(device.rule()));
    }
}
