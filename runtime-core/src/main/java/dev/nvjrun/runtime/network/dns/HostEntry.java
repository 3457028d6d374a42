package dev.nvjrun.runtime.network.dns;

import dev.nvjrun.runtime.network.NetworkException;
import dev.nvjrun.runtime.network.address.Ipv4Address;

/** One line of /etc/hosts: an address and the name it answers to. */
public record HostEntry(String address, String name) {
    /** Docker's special address for {@code --add-host NAME:host-gateway}: the network's gateway. */
    public static final String HOST_GATEWAY = "host-gateway";

    public HostEntry {
        if (!isHostName(name)) {
            throw new NetworkException("invalid host name '" + name + "': use letters, digits, '-', '_' and '.'"
                    + " (at most 253 characters)");
        }
        if (!HOST_GATEWAY.equals(address) && !Ipv4Address.isValid(address) && !isIpv6(address)) {
            throw new NetworkException("invalid address '" + address + "' for host '" + name
                    + "': use an IPv4 or IPv6 address, or host-gateway");
        }
    }

    /** Parses {@code --add-host NAME:ADDRESS} (also {@code NAME=ADDRESS}, as newer Docker accepts). */
    public static HostEntry parse(String spec) {
        int separator = spec == null ? -1 : spec.indexOf('=');
        if (separator < 0 && spec != null) {
            separator = spec.indexOf(':');
        }
        if (separator <= 0 || separator == spec.length() - 1) {
            throw new NetworkException("invalid --add-host value '" + spec + "': use NAME:ADDRESS, such as db:10.0.0.5");
        }
        return new HostEntry(spec.substring(separator + 1), spec.substring(0, separator));
    }

    /** The entry with {@code host-gateway} replaced by the network's gateway address. */
    public HostEntry resolvedAgainst(Ipv4Address gateway) {
        return HOST_GATEWAY.equals(address) ? new HostEntry(gateway.toString(), name) : this;
    }

    public static boolean isHostName(String name) {
        return name != null && !name.isEmpty() && name.length() <= 253
                && name.matches("[A-Za-z0-9]([A-Za-z0-9_.-]*[A-Za-z0-9])?");
    }

    static boolean isIpv6(String text) {
        return text != null && text.contains(":") && text.matches("[0-9A-Fa-f:.]+") && text.length() <= 45;
    }
}
