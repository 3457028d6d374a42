package dev.nvjrun.runtime.spec;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Everything runtime-core needs to run one container, computed by the caller (the launcher) and
 * executed as is: the runtime never parses user flags. Mounts happen in list order; masked and
 * read-only paths are container paths applied after pivot_root.
 */
public record ContainerSpec(Path rootfs, ProcessSpec process, String hostname, Set<Namespace> namespaces,
                            List<Mount> mounts, List<DeviceNode> devices, List<Symlink> symlinks,
                            List<String> maskedPaths, List<String> readonlyPaths, boolean readonlyRootfs,
                            CgroupResources resources, Security security) {
    public ContainerSpec {
        if (rootfs == null || !rootfs.isAbsolute()) {
            throw new IllegalArgumentException("root file system '" + rootfs + "' must be an absolute path");
        }
        namespaces = namespaces.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(namespaces));
        if (!namespaces.contains(Namespace.MOUNT)) {
            throw new IllegalArgumentException("a container needs its own mount namespace; add Namespace.MOUNT");
        }
        mounts = List.copyOf(mounts);
        devices = List.copyOf(devices);
        symlinks = List.copyOf(symlinks);
        maskedPaths = List.copyOf(maskedPaths);
        readonlyPaths = List.copyOf(readonlyPaths);
        hostname = hostname == null ? "" : hostname;
        if (hostname.length() > 64) {
            throw new IllegalArgumentException("hostname '" + hostname + "' is longer than 64 characters");
        }
    }

    public ContainerSpec withProcess(ProcessSpec p) {
        return new ContainerSpec(rootfs, p, hostname, namespaces, mounts, devices, symlinks, maskedPaths, readonlyPaths, readonlyRootfs, resources, security);
    }

    public ContainerSpec withHostname(String h) {
        return new ContainerSpec(rootfs, process, h, namespaces, mounts, devices, symlinks, maskedPaths, readonlyPaths, readonlyRootfs, resources, security);
    }

    public ContainerSpec withNamespaces(Set<Namespace> ns) {
        return new ContainerSpec(rootfs, process, hostname, ns, mounts, devices, symlinks, maskedPaths, readonlyPaths, readonlyRootfs, resources, security);
    }

    public ContainerSpec withMounts(List<Mount> m) {
        return new ContainerSpec(rootfs, process, hostname, namespaces, m, devices, symlinks, maskedPaths, readonlyPaths, readonlyRootfs, resources, security);
    }

    public ContainerSpec withDevices(List<DeviceNode> d) {
        return new ContainerSpec(rootfs, process, hostname, namespaces, mounts, d, symlinks, maskedPaths, readonlyPaths, readonlyRootfs, resources, security);
    }

    public ContainerSpec withReadonlyRootfs(boolean ro) {
        return new ContainerSpec(rootfs, process, hostname, namespaces, mounts, devices, symlinks, maskedPaths, readonlyPaths, ro, resources, security);
    }

    public ContainerSpec withResources(CgroupResources r) {
        return new ContainerSpec(rootfs, process, hostname, namespaces, mounts, devices, symlinks, maskedPaths, readonlyPaths, readonlyRootfs, r, security);
    }

    public ContainerSpec withSecurity(Security s) {
        return new ContainerSpec(rootfs, process, hostname, namespaces, mounts, devices, symlinks, maskedPaths, readonlyPaths, readonlyRootfs, resources, s);
    }

    public ContainerSpec withMaskedAndReadonlyPaths(List<String> masked, List<String> readonly) {
        return new ContainerSpec(rootfs, process, hostname, namespaces, mounts, devices, symlinks, masked, readonly, readonlyRootfs, resources, security);
    }
}
