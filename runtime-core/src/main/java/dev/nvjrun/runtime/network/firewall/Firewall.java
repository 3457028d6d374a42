package dev.nvjrun.runtime.network.firewall;

import dev.nvjrun.runtime.network.NetworkException;
import dev.nvjrun.runtime.network.address.Ipv4Address;
import dev.nvjrun.runtime.network.address.Subnet;
import dev.nvjrun.runtime.network.host.CommandRunner;
import dev.nvjrun.runtime.network.host.SearchPath;
import dev.nvjrun.runtime.network.port.PortMapping;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The packet filter rules of bridge networks: MASQUERADE for outbound traffic, DNAT for
 * published ports (also from the host's loopback), and forwarding accepts. Every rule carries a
 * comment naming its owner, {@code nvjrun:CONTAINER} or {@code nvjrun-net:BRIDGE}, so teardown
 * removes exactly the owner's rules by reading them back from the kernel, even when a crash lost
 * nvjrun's own record of them.
 */
public sealed interface Firewall permits IptablesFirewall, NftablesFirewall {

    /** Which tool drives the kernel, for messages and {@code nvjrun info}. */
    String describe();

    /** Creates nvjrun's chains and the network's own rules where missing, atomically. */
    void ensureNetwork(String bridge, Subnet subnet);

    /** Adds the DNAT and forwarding rules of a container's published ports, atomically. */
    void addPortRules(String containerId, String bridge, Ipv4Address address, List<PortMapping> ports);

    /** Deletes every rule {@code owner} added; returns how many there were. */
    int removeRules(RuleOwner owner);

    /** Deletes every rule the container added; returns how many there were. */
    default int removeContainerRules(String containerId) {
        return removeRules(new RuleOwner.Container(containerId));
    }

    /** Deletes the network's own rules; returns how many there were. */
    default int removeNetworkRules(String bridge) {
        return removeRules(new RuleOwner.Network(bridge));
    }

    /** Owners named by the comments of nvjrun's rules. */
    Set<String> owners();

    /** nvjrun's rules as the tool lists them. */
    List<String> rules();

    /** Removes nvjrun's chains (or table) with every rule in them; for hosts giving nvjrun up. */
    void removeAll();

    /**
     * The firewall for this host. AUTO prefers iptables when it is installed, whichever kernel
     * side it drives (iptables -V says legacy or nf_tables), because Docker, podman and most host
     * firewalls manage their rules through it; a host with only nft gets a table of nvjrun's own.
     *
     * @param name nvjrun's chain prefix ({@code NVJRUN}); the nftables table is its lower-case form
     */
    static Firewall forHost(CommandRunner commands, FirewallChoice choice, String name) {
        return forHost(commands, choice, name, SearchPath.ofEnvironment());
    }

    /**
     * As {@link #forHost(CommandRunner, FirewallChoice, String)}, finding the tools in {@code path}:
     * AUTO looks for them there rather than running them, because this runs on every container
     * start and removal and a missing tool fails just as clearly when its first command runs.
     */
    static Firewall forHost(CommandRunner commands, FirewallChoice choice, String name, SearchPath path) {
        return switch (choice) {
            case IPTABLES -> new IptablesFirewall(commands, name);
            case NFTABLES -> new NftablesFirewall(commands, name.toLowerCase(Locale.ROOT));
            case AUTO -> {
                if (path.contains("iptables")) {
                    yield new IptablesFirewall(commands, name);
                }
                if (path.contains("nft")) {
                    yield new NftablesFirewall(commands, name.toLowerCase(Locale.ROOT));
                }
                throw new NetworkException("neither iptables nor nft is installed, so bridge networks cannot have NAT;"
                        + " install the iptables or the nftables package, or use --network host or none");
            }
        };
    }
}
