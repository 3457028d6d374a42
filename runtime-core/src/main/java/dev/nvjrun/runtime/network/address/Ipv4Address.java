package dev.nvjrun.runtime.network.address;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.nvjrun.runtime.network.NetworkException;

/** An IPv4 address held as its 32 bits, so that subnet arithmetic stays exact. */
public record Ipv4Address(int bits) implements Comparable<Ipv4Address> {

    /** Parses dotted-quad notation such as {@code 10.88.0.2}. */
    @JsonCreator
    public static Ipv4Address parse(String text) {
        String[] parts = text == null ? new String[0] : text.split("\\.", -1);
        if (parts.length != 4) {
            throw invalid(text);
        }
        int bits = 0;
        for (String part : parts) {
            if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(Character::isDigit)) {
                throw invalid(text);
            }
            int octet = Integer.parseInt(part);
            if (octet > 255) {
                throw invalid(text);
            }
            bits = (bits << 8) | octet;
        }
        return new Ipv4Address(bits);
    }

    /** Whether the text is a dotted-quad IPv4 address. */
    public static boolean isValid(String text) {
        try {
            parse(text);
            return true;
        } catch (NetworkException e) {
            return false;
        }
    }

    public Ipv4Address plus(long offset) {
        return new Ipv4Address((int) (Integer.toUnsignedLong(bits) + offset));
    }

    public boolean isLoopback() {
        return (bits >>> 24) == 127;
    }

    @Override
    public int compareTo(Ipv4Address other) {
        return Integer.compareUnsigned(bits, other.bits);
    }

    @JsonValue
    @Override
    public String toString() {
        return (bits >>> 24) + "." + ((bits >>> 16) & 0xff) + "." + ((bits >>> 8) & 0xff) + "." + (bits & 0xff);
    }

    private static NetworkException invalid(String text) {
        return new NetworkException("invalid IPv4 address '" + text + "': expected four numbers from 0 to 255"
                + " separated by dots, such as 10.88.0.2");
    }
}
