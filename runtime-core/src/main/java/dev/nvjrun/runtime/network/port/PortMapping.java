package dev.nvjrun.runtime.network.port;

import dev.nvjrun.runtime.network.NetworkException;
import dev.nvjrun.runtime.network.address.Ipv4Address;

/**
 * One published port, in Docker's terms {@code [HOST-IP:][HOST-PORT:]CONTAINER-PORT[/PROTOCOL]}.
 * An empty host IP means every address of the host; host port 0 means "pick a free one when the
 * container is attached".
 */
public record PortMapping(String hostIp, int hostPort, int containerPort, Protocol protocol) {
    private static final String FORM = "use the form [HOST-IP:][HOST-PORT:]CONTAINER-PORT[/tcp|udp], such as 127.0.0.1:8080:80";

    public PortMapping {
        hostIp = hostIp == null ? "" : hostIp;
        if (!hostIp.isEmpty() && !Ipv4Address.isValid(hostIp)) {
            throw new NetworkException("invalid published port: host IP '" + hostIp + "' is not an IPv4 address; " + FORM);
        }
        if (hostPort < 0 || hostPort > 65535) {
            throw new NetworkException("invalid published port: host port " + hostPort + " is outside 1-65535; " + FORM);
        }
        if (containerPort < 1 || containerPort > 65535) {
            throw new NetworkException("invalid published port: container port " + containerPort
                    + " is outside 1-65535; " + FORM);
        }
    }

    /** Parses a {@code -p/--publish} value: {@code 8080}, {@code 8080:80}, {@code 127.0.0.1:8080:80}, {@code 53/udp}. */
    public static PortMapping parse(String spec) {
        if (spec == null || spec.isBlank()) {
            throw new NetworkException("invalid published port '': the value is empty; " + FORM);
        }
        String ports = spec;
        Protocol protocol = Protocol.TCP;
        int slash = spec.lastIndexOf('/');
        if (slash >= 0) {
            ports = spec.substring(0, slash);
            protocol = Protocol.parse(spec.substring(slash + 1), spec);
        }
        if (ports.startsWith("[")) {
            throw new NetworkException("invalid published port '" + spec + "': IPv6 host addresses are not supported;"
                    + " publish on an IPv4 address or on all addresses");
        }
        String[] parts = ports.split(":", -1);
        return switch (parts.length) {
            case 1 -> new PortMapping("", 0, port(parts[0], "container port", spec, false), protocol);
            case 2 -> new PortMapping("", port(parts[0], "host port", spec, false),
                    port(parts[1], "container port", spec, false), protocol);
            case 3 -> new PortMapping(hostIp(parts[0], spec), port(parts[1], "host port", spec, true),
                    port(parts[2], "container port", spec, false), protocol);
            default -> throw new NetworkException("invalid published port '" + spec + "': too many ':'; " + FORM);
        };
    }

    /** The mapping {@code -P} makes for an image's exposed port such as {@code 80/tcp} or {@code 53/udp}. */
    public static PortMapping forExposedPort(String exposed) {
        PortMapping parsed = parse(exposed);
        if (parsed.hostPort != 0 || !parsed.hostIp.isEmpty()) {
            throw new NetworkException("invalid exposed port '" + exposed + "': an image exposes PORT or PORT/PROTOCOL;"
                    + " fix the image's ExposedPorts");
        }
        return parsed;
    }

    public PortMapping withHostPort(int port) {
        return new PortMapping(hostIp, port, containerPort, protocol);
    }

    /** Whether both would claim the same host port on the same address. */
    public boolean conflictsWith(PortMapping other) {
        return hostPort != 0 && hostPort == other.hostPort && protocol == other.protocol
                && (hostIp.isEmpty() || other.hostIp.isEmpty() || hostIp.equals(other.hostIp));
    }

    /** Docker's {@code docker port} notation: {@code 80/tcp -> 127.0.0.1:8080}. */
    @Override
    public String toString() {
        return containerPort + "/" + protocol.id() + " -> " + (hostIp.isEmpty() ? "0.0.0.0" : hostIp) + ":" + hostPort;
    }

    private static String hostIp(String text, String spec) {
        if (!text.isEmpty() && !Ipv4Address.isValid(text)) {
            throw new NetworkException("invalid published port '" + spec + "': host IP '" + text
                    + "' is not an IPv4 address; " + FORM);
        }
        return text;
    }

    private static int port(String text, String what, String spec, boolean emptyMeansAny) {
        if (text.isEmpty() && emptyMeansAny) {
            return 0;
        }
        if (text.contains("-")) {
            throw new NetworkException("invalid published port '" + spec + "': port ranges such as '" + text
                    + "' are not supported; publish each port with its own -p");
        }
        if (text.isEmpty() || text.length() > 5 || !text.chars().allMatch(Character::isDigit)) {
            throw new NetworkException("invalid published port '" + spec + "': " + what + " '" + text
                    + "' is not a number from 1 to 65535; " + FORM);
        }
        int port = Integer.parseInt(text);
        if (port < 1 || port > 65535) {
            throw new NetworkException("invalid published port '" + spec + "': " + what + " " + port
                    + " is outside 1-65535; " + FORM);
        }
        return port;
    }
}
