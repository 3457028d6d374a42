package dev.nvjrun.runtime.container;

import dev.nvjrun.runtime.cgroup.CgroupManager;
import dev.nvjrun.runtime.mount.DefaultFilesystem;
import dev.nvjrun.runtime.seccomp.SeccompCompiler;
import dev.nvjrun.runtime.seccomp.SeccompProfile;
import dev.nvjrun.runtime.spec.Capability;
import dev.nvjrun.runtime.spec.CgroupResources;
import dev.nvjrun.runtime.spec.ContainerSpec;
import dev.nvjrun.runtime.spec.DeviceRule;
import dev.nvjrun.runtime.spec.DeviceType;
import dev.nvjrun.runtime.spec.Namespace;
import dev.nvjrun.runtime.spec.ProcessSpec;
import dev.nvjrun.runtime.spec.Security;
import dev.nvjrun.runtime.spec.User;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** Specs as Docker would run them: the starting point the launcher edits with the user's flags. */
public final class DockerDefaults {
    public static final String DEFAULT_PATH = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private DockerDefaults() {
    }

    /** {@code docker run IMAGE args...} on a root file system: all namespaces, default mounts, devices, caps, seccomp. */
    public static ContainerSpec spec(Path rootfs, List<String> args) {
        return spec(rootfs, args, security(Capability.DOCKER_DEFAULT, false, false));
    }

    /** The same with {@code security} instead of Docker's default (saves compiling a seccomp program to replace). */
    public static ContainerSpec spec(Path rootfs, List<String> args, Security security) {
        ProcessSpec process = new ProcessSpec(args, List.of(DEFAULT_PATH), "/", User.ROOT, List.of(), false);
        return new ContainerSpec(rootfs, process, "", defaultNamespaces(),
                DefaultFilesystem.mounts(DefaultFilesystem.DEFAULT_SHM_BYTES, true, false), DefaultFilesystem.devices(),
                DefaultFilesystem.symlinks(), DefaultFilesystem.MASKED_PATHS, DefaultFilesystem.READONLY_PATHS, false,
                CgroupResources.UNLIMITED.withDeviceRules(DefaultFilesystem.deviceRules()), security, null, List.of());
    }

    /**
     * Every namespace but, on a cgroup v1 host, the cgroup one: Docker's (20.10+) default cgroup namespace
     * mode is private on v2 hosts and host on v1 hosts.
     */
    public static Set<Namespace> defaultNamespaces() {
        Set<Namespace> ns = EnumSet.allOf(Namespace.class);
        if (!CgroupManager.hostIsUnified()) {
            ns.remove(Namespace.CGROUP);
        }
        return ns;
    }

    /** Capabilities with Docker's seccomp profile compiled for them, or unconfined. */
    public static Security security(Set<Capability> capabilities, boolean seccompUnconfined, boolean noNewPrivileges) {
        byte[] filter = seccompUnconfined ? new byte[0]
                : capabilities.equals(Capability.DOCKER_DEFAULT) ? DefaultFilter.PROGRAM
                : SeccompCompiler.compile(SeccompProfile.dockerDefault(), capabilities);
        return new Security(capabilities, noNewPrivileges, filter); // copies the program
    }

    /**
     * Docker's profile compiled for Docker's default capabilities, the program of nearly every container:
     * compiled once per process, on first use (the launcher's start warm-up does it on the spare core while
     * the command line is parsed), instead of again for each spec. Never handed out: Security copies it.
     */
    private static final class DefaultFilter {
        static final byte[] PROGRAM = SeccompCompiler.compile(SeccompProfile.dockerDefault(), Capability.DOCKER_DEFAULT);
    }

    /** {@code --privileged}: every capability, no seccomp, no masked or read-only paths, writable /sys, every device. */
    public static ContainerSpec privileged(ContainerSpec spec) {
        boolean ownNetwork = spec.namespaces().contains(Namespace.NETWORK);
        return spec.withSecurity(new Security(EnumSet.allOf(Capability.class), spec.security().noNewPrivileges(), new byte[0]))
                .withMaskedAndReadonlyPaths(List.of(), List.of())
                .withMounts(DefaultFilesystem.mounts(DefaultFilesystem.DEFAULT_SHM_BYTES, ownNetwork, true))
                .withResources(spec.resources().withDeviceRules(List.of(new DeviceRule(true, DeviceType.CHAR, -1, -1, "rwm"),
                        new DeviceRule(true, DeviceType.BLOCK, -1, -1, "rwm"))));
    }
}
