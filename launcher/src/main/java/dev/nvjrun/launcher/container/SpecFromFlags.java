package dev.nvjrun.launcher.container;

import dev.nvjrun.launcher.network.NetworkFlags;
import dev.nvjrun.runtime.container.DockerDefaults;
import dev.nvjrun.runtime.image.oci.ImageConfig;
import dev.nvjrun.runtime.mount.DefaultFilesystem;
import dev.nvjrun.runtime.process.Signals;
import dev.nvjrun.runtime.process.UserResolver;
import dev.nvjrun.runtime.spec.Capability;
import dev.nvjrun.runtime.spec.CgroupResources;
import dev.nvjrun.runtime.spec.ContainerSpec;
import dev.nvjrun.runtime.spec.Namespace;
import dev.nvjrun.runtime.spec.ProcessSpec;
import dev.nvjrun.runtime.spec.Rlimit;
import dev.nvjrun.runtime.spec.RlimitType;
import dev.nvjrun.runtime.spec.Security;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Turns {@code run}/{@code create} flags and the image config into one container spec, Docker's way:
 * defaults first, then network, privileges and security, then the {@link SpecEdit}s (devices,
 * volumes, tmpfs and, later, GPUs), then resources. The flags are validated here, before anything is
 * written, so a bad flag leaves nothing behind.
 */
final class SpecFromFlags {
    private static final long CPU_PERIOD_MICROS = 100_000;

    private final CreateOptions options;
    private final Function<String, String> hostEnv;
    private final List<SpecEdit> edits;
    private final NetworkFlags network;

    /** Parses and checks every flag; throws IllegalArgumentException with the user's sentence on a bad one. */
    SpecFromFlags(CreateOptions options, Function<String, String> hostEnv) {
        this.options = options;
        this.hostEnv = hostEnv;
        this.network = options.net.flags(options.hostname);
        securityOptions();
        privateCgroupNamespace();
        resources(CgroupResources.UNLIMITED);
        rlimits();
        labels();
        options.env.forEach(this::fromFlag);
        if (options.stopSignal != null) {
            Signals.parse(options.stopSignal);
        }
        if (options.workdir != null && !options.workdir.startsWith("/")) {
            throw new IllegalArgumentException("the working directory '" + options.workdir + "' is invalid; it needs to be an absolute path");
        }
        List<SpecEdit> all = new ArrayList<>();
        options.devices.forEach(d -> all.add(DeviceRequest.parse(d).edit()));
        options.tmpfs.forEach(t -> all.add(BindVolume.tmpfs(t)));
        List<BindVolume> volumes = options.volumes.stream().map(BindVolume::parse).toList();
        volumes.forEach(v -> all.add(v.edit())); // last: creates missing host directories once all flags are known good
        this.edits = List.copyOf(all);
    }

    List<SpecEdit> edits() {
        return edits;
    }

    Map<String, String> labels() {
        Map<String, String> labels = new LinkedHashMap<>();
        for (String label : options.labels) {
            int eq = label.indexOf('=');
            if (eq == 0 || label.isEmpty()) {
                throw new IllegalArgumentException("label '" + label + "' is invalid; use KEY=VALUE");
            }
            labels.put(eq < 0 ? label : label.substring(0, eq), eq < 0 ? "" : label.substring(eq + 1));
        }
        return labels;
    }

    /** The spec for a root file system that is mounted at {@code rootfs} (the user is resolved in its /etc/passwd). */
    ContainerSpec spec(ImageConfig image, Path rootfs, List<SpecEdit> extraEdits) {
        List<String> args = command(image);
        String cwd = options.workdir != null ? options.workdir : image.workingDir().isEmpty() ? "/" : image.workingDir();
        String user = options.user != null ? options.user : image.user();
        ProcessSpec process = new ProcessSpec(args, env(image), cwd, UserResolver.resolve(rootfs, user), rlimits(), options.init);
        boolean host = network.host();
        Security security = security(); // compiles the seccomp program once, for the capabilities asked for
        ContainerSpec spec = DockerDefaults.spec(rootfs, args, security).withProcess(process);
        Set<Namespace> namespaces = EnumSet.copyOf(spec.namespaces());
        if (host) {
            namespaces.remove(Namespace.NETWORK);
        }
        privateCgroupNamespace().ifPresent(own -> {
            if (own) {
                namespaces.add(Namespace.CGROUP);
            } else {
                namespaces.remove(Namespace.CGROUP);
            }
        });
        spec = spec.withNamespaces(namespaces);
        spec = spec.withHostname(options.hostname != null ? options.hostname : host ? hostHostname() : "");
        if (options.privileged) {
            spec = DockerDefaults.privileged(spec);
        }
        long shm = options.shmSize == null ? DefaultFilesystem.DEFAULT_SHM_BYTES : ByteSize.parse("--shm-size", options.shmSize);
        spec = spec.withMounts(DefaultFilesystem.mounts(shm, !host, options.privileged));
        spec = spec.withSecurity(security);
        for (SpecEdit edit : edits) {
            spec = edit.applyTo(spec);
        }
        for (SpecEdit edit : extraEdits) {
            spec = edit.applyTo(spec);
        }
        return spec.withResources(resources(spec.resources())).withReadonlyRootfs(options.readOnly);
    }

    /** Docker's rule: --entrypoint replaces the image's entrypoint and drops its Cmd; arguments replace Cmd. */
    List<String> command(ImageConfig image) {
        List<String> entrypoint;
        List<String> cmd;
        if (options.entrypoint != null) {
            entrypoint = options.entrypoint.isEmpty() ? List.of() : List.of(options.entrypoint);
            cmd = options.command;
        } else {
            entrypoint = image.entrypoint();
            cmd = options.command.isEmpty() ? image.cmd() : options.command;
        }
        List<String> args = new ArrayList<>(entrypoint);
        args.addAll(cmd);
        if (args.isEmpty() || args.get(0).isEmpty()) {
            throw new IllegalArgumentException("no command specified: the image " + options.image
                    + " has no entrypoint or default command; give one after the image name");
        }
        return args;
    }

    /** The image's environment (PATH defaulted), then --env-file files in order, then -e flags. */
    List<String> env(ImageConfig image) {
        List<String> base = image.env();
        if (base.stream().noneMatch(e -> e.startsWith("PATH="))) {
            base = new ArrayList<>(base);
            base.add(0, DockerDefaults.DEFAULT_PATH);
        }
        List<String> overrides = new ArrayList<>();
        for (String file : options.envFiles) {
            overrides.addAll(readEnvFile(Path.of(file)));
        }
        for (String e : options.env) {
            String entry = fromFlag(e);
            if (entry != null) {
                overrides.add(entry);
            }
        }
        return FlagEdits.mergeEnv(base, overrides);
    }

    /** {@code NAME=value} as is; a bare {@code NAME} takes the host's value, or is dropped when the host has none. */
    private String fromFlag(String e) {
        int eq = e.indexOf('=');
        if (eq == 0 || e.isEmpty()) {
            throw new IllegalArgumentException("environment variable '" + e + "' is invalid; use NAME=value or NAME");
        }
        if (eq > 0) {
            return e;
        }
        String value = hostEnv.apply(e);
        return value == null ? null : e + "=" + value;
    }

    private List<String> readEnvFile(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the env file " + file + ": " + e.getMessage() + "; check the path");
        }
        List<String> entries = new ArrayList<>();
        for (String line : lines) {
            String trimmed = line.stripLeading();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            String entry = fromFlag(trimmed);
            if (entry != null) {
                entries.add(entry);
            }
        }
        return entries;
    }

    /** The network flags, checked; the namespace itself is decided by {@link dev.nvjrun.launcher.network.ContainerNetworks}. */
    NetworkFlags network() {
        return network;
    }

    private Security security() {
        boolean unconfined = false;
        boolean noNewPrivileges = false;
        for (String opt : securityOptions()) {
            if (opt.equals("unconfined")) {
                unconfined = true;
            } else {
                noNewPrivileges = true;
            }
        }
        if (options.privileged) {
            return new Security(EnumSet.allOf(Capability.class), noNewPrivileges, new byte[0]);
        }
        Set<Capability> caps = EnumSet.copyOf(Capability.DOCKER_DEFAULT);
        for (String name : options.capDrop) {
            if (name.equalsIgnoreCase("ALL")) {
                caps.clear();
            } else {
                caps.remove(capability(name));
            }
        }
        for (String name : options.capAdd) {
            if (name.equalsIgnoreCase("ALL")) {
                caps.addAll(EnumSet.allOf(Capability.class));
            } else {
                caps.add(capability(name));
            }
        }
        return DockerDefaults.security(caps, unconfined, noNewPrivileges);
    }

    /** --cgroupns: private (true) or host (false); empty keeps Docker's default (DockerDefaults.defaultNamespaces). */
    private Optional<Boolean> privateCgroupNamespace() {
        if (options.cgroupns == null) {
            return Optional.empty();
        }
        return Optional.of(switch (options.cgroupns) {
            case "private" -> true;
            case "host" -> false;
            default -> throw new IllegalArgumentException("--cgroupns '" + options.cgroupns + "' is invalid; use host or private");
        });
    }

    /** The recognised --security-opt values, normalised to "unconfined" and "no-new-privileges". */
    private List<String> securityOptions() {
        List<String> result = new ArrayList<>();
        for (String opt : options.securityOpts) {
            String normal = opt.replace(':', '=');
            switch (normal) {
                case "seccomp=unconfined" -> result.add("unconfined");
                case "no-new-privileges", "no-new-privileges=true" -> result.add("no-new-privileges");
                case "no-new-privileges=false" -> { }
                default -> throw new IllegalArgumentException("security option '" + opt
                        + "' is not supported; use seccomp=unconfined or no-new-privileges");
            }
        }
        for (String name : options.capAdd) {
            if (!name.equalsIgnoreCase("ALL")) {
                capability(name);
            }
        }
        for (String name : options.capDrop) {
            if (!name.equalsIgnoreCase("ALL")) {
                capability(name);
            }
        }
        return result;
    }

    private static Capability capability(String name) {
        return Capability.parse(name).orElseThrow(() -> new IllegalArgumentException("capability '" + name
                + "' is unknown; use a name such as NET_ADMIN or SYS_PTRACE"));
    }

    private CgroupResources resources(CgroupResources base) {
        CgroupResources r = base;
        if (options.memory != null || options.memorySwap != null) {
            Long memory = options.memory == null ? null : ByteSize.parse("--memory", options.memory);
            Long swap = null;
            if (options.memorySwap != null) {
                swap = options.memorySwap.strip().equals("-1") ? -1L : ByteSize.parse("--memory-swap", options.memorySwap);
            } else if (memory != null) {
                swap = memory * 2; // Docker's default: as much swap as memory
            }
            if (memory == null) {
                throw new IllegalArgumentException("--memory-swap needs --memory as well; set the memory limit too");
            }
            if (memory < 6 * 1024 * 1024) {
                throw new IllegalArgumentException("--memory " + options.memory + " is below the minimum of 6m; give a larger limit");
            }
            r = r.withMemory(memory, swap);
        }
        Long quota = null;
        Long period = null;
        if (options.cpus != null) {
            BigDecimal cpus;
            try {
                cpus = new BigDecimal(options.cpus.strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--cpus value '" + options.cpus + "' is not a number; give for example 1.5");
            }
            int available = Runtime.getRuntime().availableProcessors();
            if (cpus.compareTo(new BigDecimal("0.01")) < 0 || cpus.compareTo(BigDecimal.valueOf(available)) > 0) {
                throw new IllegalArgumentException("--cpus " + options.cpus + " is out of range; the range of CPUs is from 0.01 to "
                        + available + " here");
            }
            period = CPU_PERIOD_MICROS;
            quota = cpus.multiply(BigDecimal.valueOf(CPU_PERIOD_MICROS)).longValue();
        }
        if (quota != null || options.cpuShares != null || options.cpusetCpus != null) {
            cpuList("--cpuset-cpus", options.cpusetCpus);
            r = r.withCpu(quota, period, options.cpuShares, options.cpusetCpus);
        }
        if (options.cpusetMems != null) {
            cpuList("--cpuset-mems", options.cpusetMems);
            r = r.withCpusetMems(options.cpusetMems);
        }
        if (options.pidsLimit != null && options.pidsLimit > 0) {
            r = r.withPidsLimit(options.pidsLimit);
        }
        if (options.blkioWeight != null && options.blkioWeight != 0) {
            r = r.withBlkioWeight(options.blkioWeight);
        }
        return r;
    }

    private static void cpuList(String flag, String value) {
        if (value != null && !value.matches("\\d+(-\\d+)?(,\\d+(-\\d+)?)*")) {
            throw new IllegalArgumentException(flag + " '" + value + "' is invalid; use a list such as 0-1,3");
        }
    }

    private List<Rlimit> rlimits() {
        List<Rlimit> limits = new ArrayList<>();
        for (String u : options.ulimits) {
            String[] nameValue = u.split("=", 2);
            RlimitType type = RlimitType.byDockerName(nameValue[0]).orElseThrow(() -> new IllegalArgumentException("ulimit '" + u
                    + "' names an unknown resource; use one of nofile, nproc, core, memlock, stack, ..."));
            if (nameValue.length != 2 || !nameValue[1].matches("\\d+(:\\d+)?")) {
                throw new IllegalArgumentException("ulimit '" + u + "' is invalid; use NAME=SOFT[:HARD] with numbers, such as nofile=1024:2048");
            }
            String[] softHard = nameValue[1].split(":");
            long soft = Long.parseLong(softHard[0]);
            long hard = softHard.length == 2 ? Long.parseLong(softHard[1]) : soft;
            limits.add(new Rlimit(type, soft, hard));
        }
        return limits;
    }

    private static String hostHostname() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
        } catch (IOException e) {
            return "";
        }
    }
}
