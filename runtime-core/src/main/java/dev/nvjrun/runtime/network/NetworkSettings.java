package dev.nvjrun.runtime.network;

import dev.nvjrun.runtime.network.address.Subnet;
import dev.nvjrun.runtime.network.firewall.FirewallChoice;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Host-wide networking configuration.
 *
 * @param stateDir        where network definitions, leases and attachments are kept ({@code /run/nvjrun/network}
 *                        would lose leases on reboot together with the namespaces they belong to, which is right)
 * @param defaultBridge   the bridge device of the default network {@code bridge}
 * @param defaultSubnet   the default network's subnet; empty chooses one that avoids the host's routes
 * @param chainPrefix     prefix of nvjrun's iptables chains; its lower-case form names the nftables table
 * @param firewall        iptables, nftables, or AUTO to pick what the host has
 * @param hostResolvConf  the host's resolv.conf, the source of the containers' one
 * @param mtu             MTU of bridges and veths; empty takes the MTU of the host's default route
 */
public record NetworkSettings(Path stateDir, String defaultBridge, Optional<Subnet> defaultSubnet, String chainPrefix,
        FirewallChoice firewall, Path hostResolvConf, OptionalInt mtu) {
    public static final String DEFAULT_BRIDGE = "nvjrun0";
    public static final String DEFAULT_CHAIN_PREFIX = "NVJRUN";

    public NetworkSettings {
        if (!defaultBridge.matches("[A-Za-z0-9_.-]{1,15}")) {
            throw new NetworkException("invalid bridge name '" + defaultBridge
                    + "': a Linux device name has 1 to 15 letters, digits, '-', '_' or '.'");
        }
        if (mtu.isPresent() && (mtu.getAsInt() < 576 || mtu.getAsInt() > 65535)) {
            throw new NetworkException("invalid MTU " + mtu.getAsInt() + ": use a value from 576 to 65535");
        }
    }

    public static NetworkSettings defaults(Path stateDir) {
        return new NetworkSettings(stateDir, DEFAULT_BRIDGE, Optional.empty(), DEFAULT_CHAIN_PREFIX,
                FirewallChoice.AUTO, Path.of("/etc/resolv.conf"), OptionalInt.empty());
    }

    public NetworkSettings withDefaultBridge(String bridge, Subnet subnet) {
        return new NetworkSettings(stateDir, bridge, Optional.of(subnet), chainPrefix, firewall, hostResolvConf, mtu);
    }

    public NetworkSettings withChainPrefix(String prefix) {
        return new NetworkSettings(stateDir, defaultBridge, defaultSubnet, prefix, firewall, hostResolvConf, mtu);
    }

    public NetworkSettings withFirewall(FirewallChoice choice) {
        return new NetworkSettings(stateDir, defaultBridge, defaultSubnet, chainPrefix, choice, hostResolvConf, mtu);
    }

    public NetworkSettings withHostResolvConf(Path file) {
        return new NetworkSettings(stateDir, defaultBridge, defaultSubnet, chainPrefix, firewall, file, mtu);
    }
}
