package dev.nvjrun.runtime.spec;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Everything runtime-core needs to run one container, computed by the caller (the launcher) and
 * executed as is: the runtime never parses user flags. Mounts happen in list order; masked and
 * read-only paths are container paths applied after pivot_root. A non-null {@code networkNamespace}
 * is a network namespace file the container joins (prepared and attached by the caller, e.g. for
 * bridge networking) instead of getting a new, empty one. A non-empty {@code ldconfig} is the host's
 * ldconfig command line (absolute path first, {@code -r <rootfs>} among its arguments), run inside the
 * container's mount namespace once the mounts, devices and symlinks are in place and before
 * pivot_root, as libnvidia-container does: the driver libraries bind-mounted into the root are then
 * visible to it, so it writes the container's {@code /etc/ld.so.cache} with them. The helper's
 * supervisor runs it, outside the container's cgroups; a failure fails the start.
 */
public record ContainerSpec(Path rootfs, ProcessSpec process, String hostname, Set<Namespace> namespaces,
                            List<Mount> mounts, List<DeviceNode> devices, List<Symlink> symlinks,
                            List<String> maskedPaths, List<String> readonlyPaths, boolean readonlyRootfs,
                            CgroupResources resources, Security security, Path networkNamespace,
                            List<String> ldconfig) {
    /** The helper's limit of fields in one spec record, which carries the whole command. */
    static final int MAX_LDCONFIG_WORDS = 16;

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
        ldconfig = ldconfig == null ? List.of() : List.copyOf(ldconfig);
        if (!ldconfig.isEmpty() && (!ldconfig.get(0).startsWith("/") || ldconfig.size() > MAX_LDCONFIG_WORDS)) {
            throw new IllegalArgumentException("ldconfig command " + ldconfig + " must start with an absolute path and have at most "
                    + MAX_LDCONFIG_WORDS + " words");
        }
        hostname = hostname == null ? "" : hostname;
        if (networkNamespace != null && (!networkNamespace.isAbsolute() || namespaces.contains(Namespace.NETWORK))) {
            throw new IllegalArgumentException("network namespace file '" + networkNamespace + "' must be an absolute path and"
                    + " replaces Namespace.NETWORK; use withNetworkNamespace");
        }
        if (hostname.length() > 64) {
            throw new IllegalArgumentException("hostname '" + hostname + "' is longer than 64 characters");
        }
    }

    public ContainerSpec withProcess(ProcessSpec p) {
        return new ContainerSpec(rootfs, p, hostname, namespaces, mounts, devices, symlinks, maskedPaths, readonlyPaths, readonlyRootfs, resources, security, networkNamespace, ldconfig);
    }

    public ContainerSpec withHostname(String h) {
        return new ContainerSpec(rootfs, process, h, namespaces, mounts, devices, symlinks, maskedPaths, readonlyPaths, readonlyRootfs, resources, security, networkNamespace, ldconfig);
    }

    public ContainerSpec withNamespaces(Set<Namespace> ns) {
        return new ContainerSpec(rootfs, process, hostname, ns, mounts, devices, symlinks, maskedPaths, readonlyPaths, readonlyRootfs, resources, security, networkNamespace, ldconfig);
    }

    public ContainerSpec withMounts(List<Mount> m) {
        return new ContainerSpec(rootfs, process, hostname, namespaces, m, devices, symlinks, maskedPaths, readonlyPaths, readonlyRootfs, resources, security, networkNamespace, ldconfig);
    }

    public ContainerSpec withSymlinks(List<Symlink> l) {
        return new ContainerSpec(rootfs, process, hostname, namespaces, mounts, devices, l, maskedPaths, readonlyPaths, readonlyRootfs, resources, security, networkNamespace, ldconfig);
    }

    public ContainerSpec withDevices(List<DeviceNode> d) {
        return new ContainerSpec(rootfs, process, hostname, namespaces, mounts, d, symlinks, maskedPaths, readonlyPaths, readonlyRootfs, resources, security, networkNamespace, ldconfig);
    }

    public ContainerSpec withReadonlyRootfs(boolean ro) {
        return new ContainerSpec(rootfs, process, hostname, namespaces, mounts, devices, symlinks, maskedPaths, readonlyPaths, ro, resources, security, networkNamespace, ldconfig);
    }

    public ContainerSpec withResources(CgroupResources r) {
        return new ContainerSpec(rootfs, process, hostname, namespaces, mounts, devices, symlinks, maskedPaths, readonlyPaths, readonlyRootfs, r, security, networkNamespace, ldconfig);
    }

    public ContainerSpec withSecurity(Security s) {
        return new ContainerSpec(rootfs, process, hostname, namespaces, mounts, devices, symlinks, maskedPaths, readonlyPaths, readonlyRootfs, resources, s, networkNamespace, ldconfig);
    }

    public ContainerSpec withMaskedAndReadonlyPaths(List<String> masked, List<String> readonly) {
        return new ContainerSpec(rootfs, process, hostname, namespaces, mounts, devices, symlinks, masked, readonly, readonlyRootfs, resources, security, networkNamespace, ldconfig);
    }

    /** Joins the network namespace file {@code netns} instead of creating a namespace; null: back to none of its own. */
    public ContainerSpec withNetworkNamespace(Path netns) {
        Set<Namespace> ns = EnumSet.noneOf(Namespace.class);
        ns.addAll(namespaces);
        ns.remove(Namespace.NETWORK);
        return new ContainerSpec(rootfs, process, hostname, ns, mounts, devices, symlinks, maskedPaths, readonlyPaths, readonlyRootfs, resources, security, netns, ldconfig);
    }

    /** Runs {@code command} (the host's ldconfig over this root) after the mounts; empty: none. */
    public ContainerSpec withLdconfig(List<String> command) {
        return new ContainerSpec(rootfs, process, hostname, namespaces, mounts, devices, symlinks, maskedPaths, readonlyPaths, readonlyRootfs, resources, security, networkNamespace, command);
    }
}
