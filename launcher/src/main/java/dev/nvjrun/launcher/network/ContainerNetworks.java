package dev.nvjrun.launcher.network;

import dev.nvjrun.runtime.container.ContainerException;
import dev.nvjrun.runtime.container.ContainerRuntime;
import dev.nvjrun.runtime.container.ContainerState;
import dev.nvjrun.runtime.container.ContainerStatus;
import dev.nvjrun.runtime.image.oci.ImageConfig;
import dev.nvjrun.runtime.network.ContainerNetworkRequest;
import dev.nvjrun.runtime.network.ContainerNetworking;
import dev.nvjrun.runtime.network.NetworkAttachment;
import dev.nvjrun.runtime.network.NetworkDefinition;
import dev.nvjrun.runtime.network.NetworkException;
import dev.nvjrun.runtime.network.NetworkMode;
import dev.nvjrun.runtime.network.PruneReport;
import dev.nvjrun.runtime.network.dns.HostEntry;
import dev.nvjrun.runtime.network.dns.ResolvConf;
import dev.nvjrun.runtime.network.host.CommandRunner;
import dev.nvjrun.runtime.store.RandomBytes;
import dev.nvjrun.runtime.network.host.NamespaceMounts;
import dev.nvjrun.runtime.network.port.PortMapping;
import dev.nvjrun.runtime.spec.Namespace;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The container life cycle's side of networking: plan the namespace before the spec is final,
 * attach once the container exists (so the id and its /etc files are known) and before it starts,
 * release on removal, and reap what self-removing containers and killed commands left.
 */
public final class ContainerNetworks {
    private static final Logger LOG = LoggerFactory.getLogger(ContainerNetworks.class);

    private final Supplier<NetworkNames> findNames;
    private final NamespaceFiles files;
    private final CommandRunner commands;
    /*
     * Made on first use, like the network library: a container without a bridge network needs no names, and
     * a root's names hash its path with SHA-256, which starts the JDK's security providers (some 5 ms).
     */
    private NetworkNames names;
    private ContainerNetworking networking;

    public ContainerNetworks(NetworkNames names, CommandRunner commands) {
        this(() -> names, commands);
    }

    private ContainerNetworks(Supplier<NetworkNames> names, CommandRunner commands) {
        this.findNames = names;
        this.commands = commands;
        this.files = new NamespaceFiles(new NamespaceMounts());
    }

    public static ContainerNetworks forRoot(Path root) {
        return new ContainerNetworks(() -> NetworkNames.forRoot(root), new CommandRunner());
    }

    public NetworkNames names() {
        if (names == null) {
            names = findNames.get();
        }
        return names;
    }

    /** Whether this root made the namespace file; asks for the root's names only when there is a file. */
    private boolean owns(Path netns) {
        return netns != null && names().owns(netns);
    }

    /** The network library, made on first use: it probes the host's packet filter. */
    public ContainerNetworking networking() {
        if (networking == null) {
            networking = new ContainerNetworking(names().settings(), commands);
        }
        return networking;
    }

    /**
     * Decides the namespace; a user network must exist and {@code container:NAME} must name a container
     * with a network namespace to share. Nothing is made yet.
     */
    public NetworkPlan plan(NetworkFlags flags, ImageConfig image, Supplier<ContainerRuntime> runtime) {
        return switch (flags.mode()) {
            case NetworkMode.Bridge bridge -> {
                if (!bridge.network().equals(NetworkDefinition.DEFAULT_NAME)) {
                    networking().networks().inspect(bridge.network()); // fails with the user's sentence if unknown
                }
                List<PortMapping> ports = new ArrayList<>(flags.ports());
                if (flags.publishAll()) {
                    image.exposedPorts().forEach(exposed -> ports.add(PortMapping.forExposedPort(exposed)));
                }
                Path file = names().netnsFile(HexFormat.of().formatHex(randomBytes()));
                yield new NetworkPlan(flags, file, true, ports, null);
            }
            case NetworkMode.Container joined -> joining(flags, joined.container(), runtime.get());
            case NetworkMode.Host host -> new NetworkPlan(flags, null, false, List.of(), null);
            case NetworkMode.None none -> new NetworkPlan(flags, null, false, List.of(), null);
        };
    }

    private NetworkPlan joining(NetworkFlags flags, String ref, ContainerRuntime runtime) {
        ContainerState other;
        try {
            other = runtime.inspect(ref);
        } catch (ContainerException e) {
            throw new NetworkException("cannot join the network of container '" + ref + "': no such container;"
                    + " check the name with `nvjrun ps -a`");
        }
        Path etc = runtime.etcDir(other.id());
        if (other.spec().networkNamespace() != null) {
            return new NetworkPlan(flags, other.spec().networkNamespace(), false, List.of(), etc);
        }
        if (!other.spec().namespaces().contains(Namespace.NETWORK)) {
            throw new NetworkException("container '" + ref + "' uses the host's network; use --network host instead");
        }
        if (other.status() != ContainerStatus.RUNNING) {
            throw new NetworkException("cannot join the network of container '" + ref + "': it is not running and its"
                    + " network namespace ends with it; start it first");
        }
        return new NetworkPlan(flags, Path.of("/proc", Integer.toString(other.pid()), "ns", "net"), false, List.of(), etc);
    }

    /**
     * Makes the namespace file and attaches it (bridge), or writes the /etc files the flags ask for;
     * all or nothing: on failure nothing of it is left and the caller removes the container.
     */
    public Optional<NetworkAttachment> attach(NetworkPlan plan, ContainerState created, Path etcDir) {
        NetworkFlags flags = plan.flags();
        if (plan.sharedEtc() != null) {
            copyEtc(plan.sharedEtc(), etcDir);
            return Optional.empty();
        }
        if (!plan.ownsNetns()) {
            writeEtc(flags, etcDir);
            return Optional.empty();
        }
        String network = ((NetworkMode.Bridge) flags.mode()).network();
        files.create(plan.netnsFile());
        try {
            ContainerNetworkRequest request = ContainerNetworkRequest.of(created.id(), created.name(), plan.netnsFile())
                    .withNetwork(network).withPorts(plan.ports()).withHostname(created.spec().hostname())
                    .withDns(flags.dns(), flags.dnsSearch(), flags.dnsOptions()).withExtraHosts(flags.extraHosts())
                    .withHostsFile(etcDir.resolve("hosts"));
            NetworkAttachment attachment = networking().attach(request);
            Files.writeString(etcDir.resolve("resolv.conf"), attachment.resolvConf());
            return Optional.of(attachment);
        } catch (IOException | RuntimeException e) {
            release(created.id(), plan.netnsFile());
            if (e instanceof NetworkException n) {
                throw n;
            }
            throw new NetworkException("cannot write the resolv.conf of container " + created.name() + ": " + e.getMessage()
                    + "; check the state directory", e);
        }
    }

    /** Removes the container's attachment and namespace file, if it has them; idempotent. */
    public void release(ContainerState state) {
        Path netns = state.spec().networkNamespace();
        if (owns(netns)) {
            release(state.id(), netns);
        }
    }

    private void release(String containerId, Path netns) {
        RuntimeException failure = null;
        try {
            // The namespace file goes next and the container's processes are gone: the kernel deletes the veth
            // pair with the namespace, off this command's path.
            networking().detachEndingNamespace(containerId);
        } catch (RuntimeException e) {
            failure = e;
        }
        try {
            files.delete(netns);
        } catch (RuntimeException e) {
            if (failure == null) {
                failure = e;
            } else {
                failure.addSuppressed(e);
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /**
     * Releases what containers that no longer exist left (returns how many containers): attachments ({@code run -d --rm}, a CLI killed
     * between attach and start) and namespace files no container names. The host's things are listed
     * before the containers, so a container being created meanwhile is seen and kept.
     */
    public int reap(ContainerRuntime runtime) {
        List<Path> netnsFiles = files.list(names().netnsPrefix());
        if (netnsFiles.isEmpty() && !Files.isDirectory(names().stateDir())) {
            return 0;
        }
        List<NetworkAttachment> attachments = new ArrayList<>();
        for (NetworkDefinition network : networking().networks().list()) {
            attachments.addAll(networking().networks().inspect(network.name()).containers());
        }
        List<ContainerState> containers = runtime.list();
        Set<String> ids = containers.stream().map(ContainerState::id).collect(Collectors.toSet());
        Set<Path> used = new HashSet<>();
        containers.forEach(c -> {
            if (c.spec().networkNamespace() != null) {
                used.add(c.spec().networkNamespace());
            }
        });
        int released = 0;
        Set<Path> detachedFiles = new HashSet<>();
        for (NetworkAttachment attachment : attachments) {
            if (!ids.contains(attachment.containerId())) {
                networking().detach(attachment.containerId());
                detachedFiles.add(Path.of(attachment.netnsPath()));
                released++;
            }
        }
        for (Path file : netnsFiles) {
            if (!used.contains(file)) {
                files.delete(file);
                released += detachedFiles.contains(file) ? 0 : 1; // one per container, not per thing removed
            }
        }
        if (released > 0) {
            LOG.debug("released the network of {} removed containers", released);
        }
        return released;
    }

    /** {@code system prune}: {@link #reap}, then the library's repair of rules, leases and veths nobody owns. */
    public PruneReport prune(Supplier<ContainerRuntime> runtime) {
        if (!Files.isDirectory(names().stateDir()) && files.list(names().netnsPrefix()).isEmpty()) {
            return new PruneReport(0, 0, 0, 0); // networking was never used here: no need for root or iptables
        }
        int reaped = reap(runtime.get());
        PruneReport report = networking().prune();
        return new PruneReport(report.attachments() + reaped, report.rules(), report.leases(), report.links());
    }

    /** The published ports of a container in {@code ps}'s notation ({@code 127.0.0.1:8080->80/tcp}), empty if none. */
    public String portsColumn(ContainerState state) {
        if (!owns(state.spec().networkNamespace())) {
            return "";
        }
        return networking().attachment(state.id()).map(a -> a.ports().stream()
                .map(p -> (p.hostIp().isEmpty() ? "0.0.0.0" : p.hostIp()) + ":" + p.hostPort() + "->" + p.containerPort()
                        + "/" + p.protocol().id())
                .collect(Collectors.joining(", "))).orElse("");
    }

    /** {@code ps}'s NETWORKS: the bridge network's name, or none, host, container. */
    public String networkName(ContainerState state) {
        Path netns = state.spec().networkNamespace();
        if (owns(netns)) {
            return networking().attachment(state.id()).map(NetworkAttachment::network).orElse("bridge");
        }
        if (netns != null) {
            return "container";
        }
        return state.spec().namespaces().contains(Namespace.NETWORK) ? "none" : "host";
    }

    private static void copyEtc(Path from, Path to) {
        for (String name : List.of("hostname", "hosts", "resolv.conf")) {
            try {
                Files.copy(from.resolve(name), to.resolve(name), StandardCopyOption.REPLACE_EXISTING);
            } catch (NoSuchFileException e) {
                LOG.debug("{} has no {}", from, name);
            } catch (IOException e) {
                throw new NetworkException("cannot copy " + from.resolve(name) + " for the shared network: " + e.getMessage()
                        + "; check the state directory", e);
            }
        }
    }

    /** none and host: the runtime wrote the host's resolv.conf and a plain hosts file; add what the flags ask. */
    private static void writeEtc(NetworkFlags flags, Path etcDir) {
        try {
            if (flags.customDns()) {
                String host = Files.isReadable(Path.of("/etc/resolv.conf")) ? Files.readString(Path.of("/etc/resolv.conf")) : "";
                Files.writeString(etcDir.resolve("resolv.conf"),
                        ResolvConf.forContainer(host, flags.dns(), flags.dnsSearch(), flags.dnsOptions()));
            }
            if (!flags.extraHosts().isEmpty()) {
                StringBuilder extra = new StringBuilder();
                for (HostEntry entry : flags.extraHosts()) {
                    if (entry.address().equals(HostEntry.HOST_GATEWAY)) {
                        throw new NetworkException("--add-host " + entry.name() + ":host-gateway needs a bridge network;"
                                + " give an address instead");
                    }
                    extra.append(entry.address()).append('\t').append(entry.name()).append('\n');
                }
                Files.writeString(etcDir.resolve("hosts"), extra.toString(), java.nio.file.StandardOpenOption.APPEND);
            }
        } catch (IOException e) {
            throw new NetworkException("cannot write the /etc files in " + etcDir + ": " + e.getMessage()
                    + "; check the state directory", e);
        }
    }

    private static byte[] randomBytes() {
        return RandomBytes.of(6);
    }
}
