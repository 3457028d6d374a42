package dev.nvjrun.runtime.network.address;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.nvjrun.runtime.network.NetworkException;

/** An IPv4 subnet in CIDR form; the first host address is the bridge's (the gateway). */
public record Subnet(Ipv4Address network, int prefixLength) {

    public Subnet {
        if (prefixLength < 0 || prefixLength > 32) {
            throw new NetworkException("invalid subnet prefix length " + prefixLength + ": use a number from 0 to 32");
        }
        if ((network.bits() & ~mask(prefixLength)) != 0) {
            throw new NetworkException("invalid subnet " + network + "/" + prefixLength
                    + ": the address has host bits set; use " + new Ipv4Address(network.bits() & mask(prefixLength))
                    + "/" + prefixLength);
        }
    }

    /** Parses {@code 10.88.0.0/16}. */
    @JsonCreator
    public static Subnet parse(String text) {
        int slash = text == null ? -1 : text.indexOf('/');
        if (slash < 0) {
            throw new NetworkException("invalid subnet '" + text + "': expected CIDR notation such as 10.88.0.0/16");
        }
        String prefix = text.substring(slash + 1);
        if (prefix.isEmpty() || prefix.length() > 2 || !prefix.chars().allMatch(Character::isDigit)) {
            throw new NetworkException("invalid subnet '" + text + "': the prefix length after '/' must be a number from 0 to 32");
        }
        return new Subnet(Ipv4Address.parse(text.substring(0, slash)), Integer.parseInt(prefix));
    }

    public boolean contains(Ipv4Address address) {
        return (address.bits() & mask(prefixLength)) == network.bits();
    }

    public boolean overlaps(Subnet other) {
        int shorter = Math.min(prefixLength, other.prefixLength);
        return (network.bits() & mask(shorter)) == (other.network.bits() & mask(shorter));
    }

    /** The bridge's own address: the first host address. */
    public Ipv4Address gateway() {
        return network.plus(1);
    }

    /** Number of addresses, network and broadcast included. */
    public long size() {
        return 1L << (32 - prefixLength);
    }

    public Ipv4Address broadcast() {
        return network.plus(size() - 1);
    }

    @JsonValue
    @Override
    public String toString() {
        return network + "/" + prefixLength;
    }

    private static int mask(int prefixLength) {
        return prefixLength == 0 ? 0 : -1 << (32 - prefixLength);
    }
}
