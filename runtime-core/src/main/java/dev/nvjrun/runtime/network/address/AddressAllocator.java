package dev.nvjrun.runtime.network.address;

import dev.nvjrun.runtime.network.NetworkException;
import dev.nvjrun.runtime.json.JsonDocument;
import dev.nvjrun.runtime.network.state.JsonFile;
import dev.nvjrun.runtime.network.state.StateLock;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Hands out the addresses of one subnet to owners (container ids) and remembers them in a lease
 * file, under a file lock so that concurrent nvjrun processes never hand out the same address.
 * The network address, the gateway and the broadcast address are never leased.
 */
public final class AddressAllocator {
    private final Subnet subnet;
    private static final JsonDocument<Map<String, Ipv4Address>> LEASES = JsonFile.mapDocument(Ipv4Address.class);

    private final JsonFile<Map<String, Ipv4Address>> leases;
    private final StateLock lock;

    public AddressAllocator(Path leaseFile, Subnet subnet) {
        if (subnet.prefixLength() > 30) {
            throw new NetworkException("subnet " + subnet + " is too small for containers: a bridge network needs"
                    + " a prefix of /30 or shorter, such as /24");
        }
        this.subnet = subnet;
        this.leases = JsonFile.of(leaseFile, LEASES);
        this.lock = new StateLock(leaseFile.resolveSibling(leaseFile.getFileName() + ".lock"));
    }

    /** Leases the lowest free address to {@code owner}, or returns the one it already holds. */
    public Ipv4Address allocate(String owner) {
        try (StateLock.Held held = lock.acquire()) {
            TreeMap<String, Ipv4Address> current = current();
            Ipv4Address existing = current.get(owner);
            if (existing != null) {
                return existing;
            }
            Set<Ipv4Address> taken = new HashSet<>(current.values());
            for (Ipv4Address candidate = subnet.gateway().plus(1);
                    candidate.compareTo(subnet.broadcast()) < 0; candidate = candidate.plus(1)) {
                if (!taken.contains(candidate)) {
                    current.put(owner, candidate);
                    leases.write(current);
                    return candidate;
                }
            }
            throw new NetworkException("subnet " + subnet + " has no free address left (" + current.size()
                    + " leased); stop a container on this network or create a network with a larger subnet");
        }
    }

    /** Gives the owner's address back; returns whether it held one. */
    public boolean release(String owner) {
        try (StateLock.Held held = lock.acquire()) {
            TreeMap<String, Ipv4Address> current = current();
            if (current.remove(owner) == null) {
                return false;
            }
            leases.write(current);
            return true;
        }
    }

    public Optional<Ipv4Address> leaseOf(String owner) {
        return Optional.ofNullable(leases().get(owner));
    }

    /** All leases, owner to address. */
    public Map<String, Ipv4Address> leases() {
        try (StateLock.Held held = lock.acquire()) {
            return Collections.unmodifiableMap(current());
        }
    }

    private TreeMap<String, Ipv4Address> current() {
        return new TreeMap<>(leases.read().orElse(Map.of()));
    }

    /** Forgets every lease, for a network being removed. */
    public void deleteAll() {
        try (StateLock.Held held = lock.acquire()) {
            leases.delete();
        }
    }
}
