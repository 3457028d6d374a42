package dev.nvjrun.runtime.network;

import dev.nvjrun.runtime.network.address.AddressAllocator;
import dev.nvjrun.runtime.network.address.Ipv4Address;
import dev.nvjrun.runtime.network.dns.HostEntry;
import dev.nvjrun.runtime.network.dns.HostsFile;
import dev.nvjrun.runtime.network.dns.ResolvConf;
import dev.nvjrun.runtime.network.host.CommandRunner;
import dev.nvjrun.runtime.network.host.HostLinks;
import dev.nvjrun.runtime.network.firewall.Firewall;
import dev.nvjrun.runtime.network.firewall.RuleOwner;
import dev.nvjrun.runtime.network.host.NamespaceFile;
import dev.nvjrun.runtime.network.port.HostPorts;
import dev.nvjrun.runtime.network.port.PortMapping;
import dev.nvjrun.runtime.network.state.StateLock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bridge networking for containers: the one entry point the container runtime calls.
 *
 * <p>{@link #attach} gives the container's network namespace an {@code eth0} on the network's
 * bridge with a leased address, a default route, NAT for outbound traffic and DNAT for its
 * published ports, and returns the contents of its /etc/hosts and /etc/resolv.conf.
 * {@link #detach} removes all of it. Every operation holds one lock in the state directory, so
 * concurrent nvjrun processes see each other's work whole.
 */
public final class ContainerNetworking {
    private static final Logger LOG = LoggerFactory.getLogger(ContainerNetworking.class);
    private static final String ID_PATTERN = "[A-Za-z0-9][A-Za-z0-9_.-]{0,127}";

    private final NetworkSettings settings;
    private final StateLock lock;
    private final HostLinks links;
    private final Firewall firewall;
    private final AttachmentStore attachments;
    private final NetworkStore networks;

    public ContainerNetworking(NetworkSettings settings) {
        this(settings, new CommandRunner());
    }

    /** @param commands runs the firewall's tools; tests pass one that injects failures */
    public ContainerNetworking(NetworkSettings settings, CommandRunner commands) {
        this.settings = settings;
        this.lock = new StateLock(settings.stateDir().resolve("network.lock"));
        this.links = new HostLinks();
        this.firewall = Firewall.forHost(commands, settings.firewall(), settings.chainPrefix());
        this.attachments = new AttachmentStore(settings.stateDir());
        this.networks = new NetworkStore(settings, lock, links, firewall, attachments);
    }

    /** The packet filter in use, for {@code nvjrun info} and diagnostics. */
    public Firewall firewall() {
        return firewall;
    }

    /** The networks, for {@code nvjrun network create|ls|inspect|rm}. */
    public NetworkStore networks() {
        return networks;
    }

    /** Connects the container's network namespace to its bridge network; all or nothing. */
    public NetworkAttachment attach(ContainerNetworkRequest request) {
        validate(request);
        try (StateLock.Held held = lock.acquire()) {
            Optional<AttachmentRecord> existing = attachments.find(request.containerId());
            if (existing.isPresent()) {
                throw new NetworkException("container " + request.containerId() + " is already attached to network '"
                        + existing.get().attachment().network() + "'; detach it first");
            }
            NetworkDefinition network = networks.resolve(request.network());
            long inode = new NamespaceFile(request.netnsPath()).inode();
            List<AttachmentRecord> others = attachments.all();
            checkNameFree(request, network, others);
            String resolvConf = ResolvConf.forContainer(readHostResolvConf(), request.dns(), request.dnsSearch(),
                    request.dnsOptions());
            List<PortMapping> published = new ArrayList<>();
            others.forEach(other -> published.addAll(other.attachment().ports()));
            List<PortMapping> ports = HostPorts.assign(request.ports(), published);
            List<HostEntry> extraHosts = request.extraHosts().stream()
                    .map(entry -> entry.resolvedAgainst(network.gateway())).toList();
            int mtu = settings.mtu().isPresent() ? settings.mtu().getAsInt() : links.defaultRouteMtu();
            AddressAllocator allocator = networks.allocator(network);
            Ipv4Address address = allocator.allocate(request.containerId());
            String hostname = request.hostname().orElse(request.containerId().substring(0,
                    Math.min(12, request.containerId().length())));
            NetworkAttachment attachment = new NetworkAttachment(request.containerId(), request.name(),
                    network.name(), network.bridge(), HostLinks.CONTAINER_INTERFACE, address,
                    network.subnet().prefixLength(), network.gateway(), mtu, ports, hostname, "", resolvConf,
                    request.netnsPath().toString());
            AttachmentRecord record = new AttachmentRecord(AttachmentRecord.Phase.ATTACHING, attachment, inode,
                    hostEnd(request.containerId()), request.hostsFile().map(Path::toString).orElse(null), extraHosts);
            record = record.withAttachment(attachment.withHosts(renderHosts(record, network, others)));
            attachments.save(record);
            try {
                connect(record, network, request.netnsPath(), mtu, address);
                firewall.addPortRules(request.containerId(), network.bridge(), address, ports);
                writeHostsFile(record);
                record = record.withPhase(AttachmentRecord.Phase.ATTACHED);
                attachments.save(record);
                refreshPeers(network, request.containerId());
            } catch (RuntimeException e) {
                undo(record, e);
                throw new NetworkException("cannot attach container " + request.containerId() + " to network '"
                        + network.name() + "': " + e.getMessage(), e);
            }
            LOG.debug("attached {} to {} as {}", request.containerId(), network.name(), address);
            return record.attachment();
        }
    }

    /**
     * Removes the container's veth, rules and address lease. Safe to call for a container whose
     * namespace is already gone or that was never attached; returns whether anything was removed.
     */
    public boolean detach(String containerId) {
        return detach(containerId, false);
    }

    /**
     * {@link #detach(String)} for a container whose namespace ends right after: the caller removes its
     * file and no process is left in it. The veth is then not deleted here: the kernel deletes the pair
     * with the namespace, asynchronously, instead of on the caller's path (deleting a veth waits for
     * synchronize_net, ~15 ms of every {@code run --rm} on a bridge). A namespace that lives on (a
     * container sharing it) keeps its veth until it ends; prune reaps a veth no record names.
     */
    public boolean detachEndingNamespace(String containerId) {
        return detach(containerId, true);
    }

    private boolean detach(String containerId, boolean namespaceEnds) {
        validateId(containerId);
        try (StateLock.Held held = lock.acquire()) {
            Optional<AttachmentRecord> record = attachments.find(containerId);
            if (record.isPresent()) {
                tearDown(record.get(), namespaceEnds);
                networkOf(record.get()).ifPresent(network -> refreshPeers(network, containerId));
                return true;
            }
            boolean removed = firewall.removeContainerRules(containerId) > 0;
            removed |= links.deleteIfPresent(hostEnd(containerId));
            for (NetworkDefinition network : networks.list()) {
                removed |= networks.allocator(network).release(containerId);
            }
            return removed;
        }
    }

    /** The attachment of a container, by id or name ({@code nvjrun port}, {@code --network container:NAME}). */
    public Optional<NetworkAttachment> attachment(String containerIdOrName) {
        try (StateLock.Held held = lock.acquire()) {
            List<AttachmentRecord> all = attachments.all();
            return all.stream().filter(r -> r.containerId().equals(containerIdOrName)).findFirst()
                    .or(() -> all.stream().filter(r -> containerIdOrName.equals(r.attachment().name())).findFirst())
                    .map(AttachmentRecord::attachment);
        }
    }

    /** The published ports of a container ({@code nvjrun port CONTAINER}). */
    public List<PortMapping> ports(String containerIdOrName) {
        return attachment(containerIdOrName).map(NetworkAttachment::ports).orElseThrow(() -> new NetworkException(
                "container '" + containerIdOrName + "' has no network attachment; check the name with `nvjrun ps`"));
    }

    /**
     * Repairs what dead containers and killed CLIs left: attachments whose namespace is gone or
     * that never finished, then rules, leases and bridge ports that no attachment owns.
     */
    public PruneReport prune() {
        try (StateLock.Held held = lock.acquire()) {
            int removedAttachments = 0;
            int rules = 0;
            int leases = 0;
            int removedLinks = 0;
            Set<String> known = new LinkedHashSet<>();
            for (AttachmentRecord record : attachments.all()) {
                if (record.phase() == AttachmentRecord.Phase.ATTACHING
                        || !new NamespaceFile(Path.of(record.attachment().netnsPath())).isAlive(record.netnsInode())) {
                    rules += tearDown(record, false);
                    removedAttachments++;
                } else {
                    known.add(record.containerId());
                }
            }
            List<NetworkDefinition> all = networks.list();
            Set<String> bridges = new LinkedHashSet<>();
            all.forEach(network -> bridges.add(network.bridge()));
            for (String tag : firewall.owners()) {
                Optional<RuleOwner> owner = RuleOwner.parse(tag);
                if (owner.isPresent() && isOrphan(owner.get(), known, bridges)) {
                    rules += firewall.removeRules(owner.get());
                }
            }
            Set<String> hostEnds = new LinkedHashSet<>();
            attachments.all().forEach(record -> hostEnds.add(record.hostEnd()));
            for (NetworkDefinition network : all) {
                AddressAllocator allocator = networks.allocator(network);
                for (String owner : allocator.leases().keySet()) {
                    if (!known.contains(owner) && allocator.release(owner)) {
                        leases++;
                    }
                }
                for (String link : links.linksOnBridge(network.bridge())) {
                    if (!hostEnds.contains(link) && links.deleteIfPresent(link)) {
                        removedLinks++;
                    }
                }
                refreshPeers(network, "");
            }
            return new PruneReport(removedAttachments, rules, leases, removedLinks);
        }
    }

    /**
     * Detaches every container and removes every bridge and chain nvjrun made, keeping the
     * network definitions; for uninstalling, and for tests that must leave the host as they found it.
     */
    public void resetHost() {
        try (StateLock.Held held = lock.acquire()) {
            attachments.all().forEach(record -> tearDown(record, false));
            for (NetworkDefinition network : networks.list()) {
                networks.tearDownHostSide(network);
            }
            firewall.removeAll();
        }
    }

    /**
     * The network's rules and the container's links, which do not depend on each other, made at
     * the same time: each is a process or two that mostly waits on the kernel, and a container
     * start waits for both. Returns, or fails, only when both have finished, so a rollback never
     * races either.
     */
    private void connect(AttachmentRecord record, NetworkDefinition network, Path netnsPath, int mtu,
            Ipv4Address address) {
        CompletableFuture<Void> rules = CompletableFuture.runAsync(
                () -> firewall.ensureNetwork(network.bridge(), network.subnet()),
                task -> Thread.ofVirtual().name("nvjrun-firewall").start(task));
        RuntimeException failure = null;
        try {
            links.connectContainer(network.bridge(), network.subnet(), record.hostEnd(), netnsPath, mtu, address);
        } catch (RuntimeException e) {
            failure = e;
        }
        try {
            rules.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof Error error) {
                if (failure != null) {
                    error.addSuppressed(failure);
                }
                throw error; // not ours to roll back, as when it happens on this thread
            }
            RuntimeException cause = e.getCause() instanceof RuntimeException r ? r : e;
            if (failure == null) {
                failure = cause;
            } else {
                failure.addSuppressed(cause);
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /**
     * A container's only rules are those of its published ports, and its record, with the ports,
     * is saved before they are added: a record without ports means there are none to read back
     * from the kernel. Rules that outlive their record are {@link #prune}'s, which reads them all.
     */
    private int tearDown(AttachmentRecord record, boolean namespaceEnds) {
        String id = record.containerId();
        int rules = record.attachment().ports().isEmpty() ? 0 : firewall.removeContainerRules(id);
        if (!namespaceEnds) {
            links.deleteIfPresent(record.hostEnd());
        }
        networkOf(record).ifPresent(network -> networks.allocator(network).release(id));
        attachments.delete(id);
        return rules;
    }

    private void undo(AttachmentRecord record, RuntimeException failure) {
        try {
            tearDown(record, false);
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
            LOG.warn("could not undo the half-made attachment of {}: {}; `nvjrun system prune` will retry",
                    record.containerId(), e.getMessage());
        }
    }

    private Optional<NetworkDefinition> networkOf(AttachmentRecord record) {
        try {
            return Optional.of(networks.resolve(record.attachment().network()));
        } catch (NetworkException e) {
            return Optional.empty();
        }
    }

    /** Rewrites the hosts files of the containers on a user-defined network after one came or went. */
    private void refreshPeers(NetworkDefinition network, String changedContainer) {
        if (!network.userDefined()) {
            return;
        }
        List<AttachmentRecord> members = attachments.onNetwork(network.name());
        for (AttachmentRecord member : members) {
            if (member.containerId().equals(changedContainer) || member.phase() != AttachmentRecord.Phase.ATTACHED) {
                continue;
            }
            String hosts = renderHosts(member, network, members);
            if (!hosts.equals(member.attachment().hosts())) {
                AttachmentRecord updated = member.withAttachment(member.attachment().withHosts(hosts));
                attachments.save(updated);
                writeHostsFile(updated);
            }
        }
    }

    private static String renderHosts(AttachmentRecord record, NetworkDefinition network, List<AttachmentRecord> all) {
        NetworkAttachment self = record.attachment();
        List<HostEntry> peers = new ArrayList<>();
        if (network.userDefined()) {
            for (AttachmentRecord other : all) {
                NetworkAttachment peer = other.attachment();
                if (!other.containerId().equals(self.containerId()) && other.phase() == AttachmentRecord.Phase.ATTACHED
                        && peer.network().equals(network.name()) && peer.name() != null) {
                    peers.add(new HostEntry(peer.address().toString(), peer.name()));
                }
            }
        }
        Set<String> ownNames = new LinkedHashSet<>();
        ownNames.add(self.hostname());
        if (self.name() != null) {
            ownNames.add(self.name());
        }
        return new HostsFile(self.address().toString(), ownNames, peers, record.extraHosts()).render();
    }

    /** Written in place, not renamed over, because the runtime bind-mounts this very inode. */
    private static void writeHostsFile(AttachmentRecord record) {
        if (record.hostsFile() == null) {
            return;
        }
        try {
            Files.writeString(Path.of(record.hostsFile()), record.attachment().hosts(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new NetworkException("cannot write the hosts file " + record.hostsFile() + ": " + e.getMessage()
                    + "; check that its directory exists and is writable", e);
        }
    }

    private void checkNameFree(ContainerNetworkRequest request, NetworkDefinition network,
            List<AttachmentRecord> others) {
        for (AttachmentRecord other : others) {
            if (other.attachment().network().equals(network.name()) && request.name().equals(other.attachment().name())) {
                throw new NetworkException("container name '" + request.name() + "' is already used on network '"
                        + network.name() + "' by container " + other.containerId() + "; choose another name");
            }
        }
    }

    private String readHostResolvConf() {
        try {
            return Files.readString(settings.hostResolvConf());
        } catch (NoSuchFileException e) {
            return "";
        } catch (IOException e) {
            throw new NetworkException("cannot read the host's " + settings.hostResolvConf() + ": " + e.getMessage()
                    + "; check its permissions or pass --dns", e);
        }
    }

    /** Host-side veth name: derived from the id so that detach finds it even without a record. */
    static String hostEnd(String containerId) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(containerId.getBytes(StandardCharsets.UTF_8));
            return "nvj" + HexFormat.of().formatHex(digest, 0, 5);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private static void validate(ContainerNetworkRequest request) {
        validateId(request.containerId());
        if (request.name() == null || !request.name().matches(ID_PATTERN)) {
            throw new NetworkException("invalid container name '" + request.name() + "': use letters, digits, '_',"
                    + " '.' or '-', starting with a letter or digit");
        }
        if (request.netnsPath() == null) {
            throw new NetworkException("no network namespace given for container " + request.containerId()
                    + "; pass /proc/PID/ns/net of its process");
        }
        request.hostname().ifPresent(hostname -> {
            if (!HostEntry.isHostName(hostname) || hostname.length() > 63) {
                throw new NetworkException("invalid --hostname '" + hostname + "': use at most 63 letters, digits,"
                        + " '-', '_' or '.'");
            }
        });
    }

    private static void validateId(String containerId) {
        if (containerId == null || !containerId.matches(ID_PATTERN)) {
            throw new NetworkException("invalid container id '" + containerId + "': use 1 to 128 letters, digits,"
                    + " '_', '.' or '-'");
        }
    }

    /** A rule whose container has no attachment record or whose network no longer exists. */
    private static boolean isOrphan(RuleOwner owner, Set<String> knownContainers, Set<String> bridges) {
        return switch (owner) {
            case RuleOwner.Container c -> !knownContainers.contains(c.id());
            case RuleOwner.Network n -> !bridges.contains(n.bridge());
        };
    }
}
