package dev.nvjrun.runtime.network;

import dev.nvjrun.runtime.network.address.AddressAllocator;
import dev.nvjrun.runtime.network.address.Subnet;
import dev.nvjrun.runtime.network.host.HostLinks;
import dev.nvjrun.runtime.network.firewall.Firewall;
import dev.nvjrun.runtime.json.JsonDocument;
import dev.nvjrun.runtime.network.state.JsonFile;
import dev.nvjrun.runtime.network.state.StateLock;
import dev.nvjrun.runtime.store.RandomBytes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The bridge networks: the default {@code bridge} network and user-defined ones
 * ({@code nvjrun network create|ls|inspect|rm}). A network's bridge device appears on the host
 * when its first container attaches, and disappears with {@code rm}.
 */
public final class NetworkStore {
    private static final JsonDocument<NetworkDefinition> DEFINITION = JsonFile.document(NetworkDefinition.class);
    private static final Set<String> RESERVED = Set.of("bridge", "host", "none", "default");
    /** Private ranges Docker and podman users rarely route elsewhere; tried in order. */
    private static final List<String> CANDIDATE_PREFIXES = candidates();

    private final NetworkSettings settings;
    private final StateLock lock;
    private final HostLinks links;
    private final Firewall firewall;
    private final AttachmentStore attachments;
    private final Path dir;

    NetworkStore(NetworkSettings settings, StateLock lock, HostLinks links, Firewall firewall,
            AttachmentStore attachments) {
        this.settings = settings;
        this.lock = lock;
        this.links = links;
        this.firewall = firewall;
        this.attachments = attachments;
        this.dir = settings.stateDir().resolve("networks");
    }

    /** Defines a user network; {@code subnet} empty picks a free one. */
    public NetworkDefinition create(String name, Optional<Subnet> subnet) {
        validateName(name);
        try (StateLock.Held held = lock.acquire()) {
            defaultNetwork();
            if (file(name).read().isPresent()) {
                throw new NetworkException("network '" + name + "' already exists; choose another name or remove it"
                        + " with `nvjrun network rm " + name + "`");
            }
            Subnet chosen = subnet.map(this::checkFree).orElseGet(this::chooseSubnet);
            String bridge = "nvjbr" + HexFormat.of().formatHex(randomBytes(4));
            NetworkDefinition network = new NetworkDefinition(name, bridge, chosen, true, Instant.now().toString());
            file(name).write(network);
            return network;
        }
    }

    /** All networks, the default one first. */
    public List<NetworkDefinition> list() {
        try (StateLock.Held held = lock.acquire()) {
            List<NetworkDefinition> networks = new ArrayList<>();
            networks.add(defaultNetwork());
            networks.addAll(userNetworks());
            return networks;
        }
    }

    public NetworkInspection inspect(String name) {
        try (StateLock.Held held = lock.acquire()) {
            NetworkDefinition network = resolve(name);
            List<NetworkAttachment> attached = attachments.onNetwork(network.name()).stream()
                    .map(AttachmentRecord::attachment).toList();
            return new NetworkInspection(network, attached);
        }
    }

    /** Removes a user network, its bridge, its rules and its leases; refuses while containers use it. */
    public void remove(String name) {
        try (StateLock.Held held = lock.acquire()) {
            NetworkDefinition network = resolve(name);
            if (!network.userDefined()) {
                throw new NetworkException("network '" + name + "' is the default network and cannot be removed;"
                        + " remove user-defined networks only");
            }
            List<AttachmentRecord> users = attachments.onNetwork(name);
            if (!users.isEmpty()) {
                throw new NetworkException("network '" + name + "' is in use by " + users.size() + " container(s) ("
                        + String.join(", ", users.stream().map(r -> r.attachment().name()).toList())
                        + "); stop or disconnect them first");
            }
            tearDownHostSide(network);
            file(name).delete();
        }
    }

    /** The network of that name, or a clear error naming the fix. */
    NetworkDefinition resolve(String name) {
        if (NetworkDefinition.DEFAULT_NAME.equals(name)) {
            return defaultNetwork();
        }
        return file(name).read().orElseThrow(() -> new NetworkException("network '" + name + "' not found; create it"
                + " with `nvjrun network create " + name + "` or use the default network 'bridge'"));
    }

    AddressAllocator allocator(NetworkDefinition network) {
        return new AddressAllocator(settings.stateDir().resolve("leases").resolve(network.name() + ".json"),
                network.subnet());
    }

    /** Deletes the network's bridge, rules and leases (the definition stays). */
    void tearDownHostSide(NetworkDefinition network) {
        firewall.removeNetworkRules(network.bridge());
        links.deleteIfPresent(network.bridge());
        allocator(network).deleteAll();
    }

    private NetworkDefinition defaultNetwork() {
        JsonFile<NetworkDefinition> file = file(NetworkDefinition.DEFAULT_NAME);
        Optional<NetworkDefinition> existing = file.read();
        if (existing.isPresent()) {
            return existing.get();
        }
        Subnet subnet = settings.defaultSubnet().map(this::checkFree).orElseGet(this::chooseSubnet);
        NetworkDefinition network = new NetworkDefinition(NetworkDefinition.DEFAULT_NAME, settings.defaultBridge(),
                subnet, false, Instant.now().toString());
        file.write(network);
        return network;
    }

    private List<NetworkDefinition> userNetworks() {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".json")).sorted()
                    .map(p -> JsonFile.of(p, DEFINITION).read())
                    .flatMap(Optional::stream)
                    .filter(NetworkDefinition::userDefined)
                    .toList();
        } catch (IOException e) {
            throw new NetworkException("cannot list " + dir + ": " + e.getMessage()
                    + "; check the state directory's permissions", e);
        }
    }

    private Subnet checkFree(Subnet subnet) {
        if (subnet.prefixLength() > 30) {
            throw new NetworkException("subnet " + subnet + " is too small: a bridge network needs a prefix of /30"
                    + " or shorter, such as /24");
        }
        for (NetworkDefinition other : definedNetworks()) {
            if (other.subnet().overlaps(subnet)) {
                throw new NetworkException("subnet " + subnet + " overlaps network '" + other.name() + "' ("
                        + other.subnet() + "); choose a subnet that no other network uses");
            }
        }
        for (Subnet route : links.routedSubnets()) {
            if (route.overlaps(subnet)) {
                throw new NetworkException("subnet " + subnet + " overlaps the host route to " + route
                        + "; choose a subnet the host does not route elsewhere");
            }
        }
        return subnet;
    }

    private Subnet chooseSubnet() {
        List<Subnet> taken = new ArrayList<>(links.routedSubnets());
        definedNetworks().forEach(n -> taken.add(n.subnet()));
        for (String candidate : CANDIDATE_PREFIXES) {
            Subnet subnet = Subnet.parse(candidate);
            if (taken.stream().noneMatch(subnet::overlaps)) {
                return subnet;
            }
        }
        throw new NetworkException("no free subnet for a new network: every candidate overlaps a host route or"
                + " another network; create the network with an explicit subnet");
    }

    private List<NetworkDefinition> definedNetworks() {
        List<NetworkDefinition> all = new ArrayList<>(userNetworks());
        file(NetworkDefinition.DEFAULT_NAME).read().ifPresent(all::add);
        return all;
    }

    private JsonFile<NetworkDefinition> file(String name) {
        return JsonFile.of(dir.resolve(name + ".json"), DEFINITION);
    }

    private static void validateName(String name) {
        if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,62}")) {
            throw new NetworkException("invalid network name '" + name + "': use 1 to 63 letters, digits, '_', '.'"
                    + " or '-', starting with a letter or digit");
        }
        if (RESERVED.contains(name)) {
            throw new NetworkException("network name '" + name + "' is reserved; choose another name");
        }
    }

    private static List<String> candidates() {
        List<String> list = new ArrayList<>();
        for (int second = 88; second < 100; second++) {
            list.add("10." + second + ".0.0/16");
        }
        list.add("172.30.0.0/16");
        list.add("172.31.0.0/16");
        for (int third = 200; third < 255; third++) {
            list.add("192.168." + third + ".0/24");
        }
        return List.copyOf(list);
    }

    private static byte[] randomBytes(int count) {
        return RandomBytes.of(count);
    }
}
