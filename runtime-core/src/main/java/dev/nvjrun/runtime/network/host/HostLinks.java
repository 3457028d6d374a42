package dev.nvjrun.runtime.network.host;

import dev.nvjrun.runtime.network.NetworkException;
import dev.nvjrun.runtime.network.address.Ipv4Address;
import dev.nvjrun.runtime.network.address.Subnet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Network devices of the host and of containers, driven through iproute2. Changes inside a
 * container's namespace run as {@code nsenter --net=PATH ip -batch -}, one child process per
 * attachment, so no JVM thread ever changes namespace.
 */
public final class HostLinks {
    /** The name the container sees, like Docker's. */
    public static final String CONTAINER_INTERFACE = "eth0";
    private static final int FALLBACK_MTU = 1500;

    private final CommandRunner commands;
    private final Path sysClassNet;
    private final Path procSysNet;

    public HostLinks(CommandRunner commands) {
        this(commands, Path.of("/sys/class/net"), Path.of("/proc/sys/net"));
    }

    HostLinks(CommandRunner commands, Path sysClassNet, Path procSysNet) {
        this.commands = commands;
        this.sysClassNet = sysClassNet;
        this.procSysNet = procSysNet;
    }

    public boolean exists(String link) {
        return Files.exists(sysClassNet.resolve(link));
    }

    /**
     * Makes sure the bridge exists, carries the subnet's gateway address and is up, then creates a
     * veth pair whose host end joins the bridge and whose other end appears as eth0 in the
     * namespace at {@code netnsPath} with the address and the default route. Everything in the
     * host's namespace is one {@code ip -batch} (ip stops at the first failing line), because every
     * process costs a container start a few milliseconds; the address is set with
     * {@code addr replace}, which leaves an address that is already there as it is, so that it
     * need not be read first.
     *
     * <p>Published ports reach containers from the host's loopback through DNAT, which the kernel
     * only routes out of a non-loopback device when route_localnet is set on it (Kubernetes does
     * the same for NodePorts); the alternative, a userland proxy, would need a process that
     * outlives the CLI.
     */
    public void connectContainer(String bridge, Subnet subnet, String hostEnd, Path netnsPath, int mtu,
            Ipv4Address address) {
        if (netnsPath.toString().chars().anyMatch(c -> Character.isWhitespace(c) || c == '"' || c == '\\')) {
            throw new NetworkException("network namespace path '" + netnsPath + "' contains blanks or quotes;"
                    + " bind-mount the namespace at a plain path such as /run/nvjrun/netns/ID");
        }
        StringBuilder hostSide = new StringBuilder();
        if (!exists(bridge)) {
            hostSide.append("link add name ").append(bridge).append(" mtu ").append(mtu).append(" type bridge\n");
        }
        hostSide.append("addr replace ").append(subnet.gateway()).append('/').append(subnet.prefixLength())
                .append(" dev ").append(bridge).append('\n')
                .append("link set ").append(bridge).append(" up\n")
                // Hairpin mode lets a container reach its own published port through a host address: the
                // DNAT'd packet leaves the bridge by the port it came in on.
                .append("link add ").append(hostEnd).append(" mtu ").append(mtu).append(" type veth peer name ")
                .append(CONTAINER_INTERFACE).append(" netns ").append(netnsPath).append(" mtu ").append(mtu).append('\n')
                .append("link set ").append(hostEnd).append(" master ").append(bridge).append(" up\n")
                .append("link set dev ").append(hostEnd).append(" type bridge_slave hairpin on\n");
        commands.run(List.of("ip", "-batch", "-"), hostSide.toString());
        writeSysctl(procSysNet.resolve("ipv4/conf").resolve(bridge).resolve("route_localnet"), "1");
        writeSysctl(procSysNet.resolve("ipv4/ip_forward"), "1");
        String batch = "link set lo up\n"
                + "addr add " + address + "/" + subnet.prefixLength() + " dev " + CONTAINER_INTERFACE + "\n"
                + "link set " + CONTAINER_INTERFACE + " up\n"
                + "route add default via " + subnet.gateway() + " dev " + CONTAINER_INTERFACE + "\n";
        commands.run(List.of("nsenter", "--net=" + netnsPath, "ip", "-batch", "-"), batch);
    }

    /** Deletes a link if it is there (deleting one end of a veth deletes both); returns whether it was. */
    public boolean deleteIfPresent(String link) {
        if (!exists(link)) {
            return false;
        }
        CommandResult result = commands.attempt(List.of("ip", "link", "del", link), null);
        if (!result.succeeded() && exists(link)) {
            throw new CommandFailedException(result);
        }
        return result.succeeded();
    }

    /** Names of the links enslaved to the bridge (the host ends of container veths). */
    public List<String> linksOnBridge(String bridge) {
        if (!exists(bridge)) {
            return List.of();
        }
        List<String> names = new ArrayList<>();
        for (String line : commands.run(List.of("ip", "-o", "link", "show", "master", bridge)).stdout().split("\n")) {
            String[] fields = line.split(":\\s+", 3);
            if (fields.length >= 2) {
                String name = fields[1];
                int at = name.indexOf('@');
                names.add(at < 0 ? name : name.substring(0, at));
            }
        }
        return names;
    }

    /** IPv4 destinations of the host's routes, so a new subnet can avoid them. */
    public List<Subnet> routedSubnets() {
        List<Subnet> subnets = new ArrayList<>();
        for (String line : commands.run(List.of("ip", "-4", "route", "show")).stdout().split("\n")) {
            String destination = line.strip().split("\\s+")[0];
            try {
                if (destination.contains("/")) {
                    subnets.add(Subnet.parse(destination));
                } else if (Ipv4Address.isValid(destination)) {
                    subnets.add(new Subnet(Ipv4Address.parse(destination), 32));
                }
            } catch (NetworkException e) {
                // Not a plain IPv4 destination (default, blackhole, ...): nothing to avoid.
            }
        }
        return subnets;
    }

    /** MTU of the device that carries the host's default route, which containers must not exceed. */
    public int defaultRouteMtu() {
        String route = commands.run(List.of("ip", "-4", "route", "show", "default")).stdout();
        String[] words = route.strip().split("\\s+");
        for (int i = 0; i + 1 < words.length; i++) {
            if (words[i].equals("mtu") && words[i + 1].chars().allMatch(Character::isDigit)) {
                return Integer.parseInt(words[i + 1]);
            }
        }
        for (int i = 0; i + 1 < words.length; i++) {
            if (words[i].equals("dev")) {
                return readMtu(words[i + 1]).orElse(FALLBACK_MTU);
            }
        }
        return FALLBACK_MTU;
    }

    private Optional<Integer> readMtu(String device) {
        try {
            return Optional.of(Integer.parseInt(Files.readString(sysClassNet.resolve(device).resolve("mtu")).strip()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static void writeSysctl(Path file, String value) {
        try {
            if (!Files.readString(file).strip().equals(value)) {
                Files.writeString(file, value);
            }
        } catch (IOException e) {
            throw new NetworkException("cannot set " + file + " to " + value + ": " + e.getMessage()
                    + "; run nvjrun as root with /proc/sys writable", e);
        }
    }
}
