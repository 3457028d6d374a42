package dev.nvjrun.runtime.network.host;

import dev.nvjrun.runtime.network.NetworkException;
import dev.nvjrun.runtime.network.address.Ipv4Address;
import dev.nvjrun.runtime.network.address.Subnet;
import dev.nvjrun.runtime.network.netlink.MainRoute;
import dev.nvjrun.runtime.network.netlink.RouteRequest;
import dev.nvjrun.runtime.network.netlink.RouteSocket;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import static dev.nvjrun.runtime.network.netlink.RouteRequest.*;

/**
 * Network devices of the host and of containers, driven through rtnetlink ({@link RouteSocket}) the
 * way iproute2 drives them, and read from sysfs: no process is started (each cost a container start
 * milliseconds). Changes inside a container's namespace are made on a thread of their own that enters
 * it, so no other JVM thread ever runs there.
 */
public final class HostLinks {
    /** The name the container sees, like Docker's. */
    public static final String CONTAINER_INTERFACE = "eth0";
    private static final int FALLBACK_MTU = 1500;

    private final Path sysClassNet;
    private final Path procSysNet;

    public HostLinks() {
        this(Path.of("/sys/class/net"), Path.of("/proc/sys/net"));
    }

    HostLinks(Path sysClassNet, Path procSysNet) {
        this.sysClassNet = sysClassNet;
        this.procSysNet = procSysNet;
    }

    public boolean exists(String link) {
        return Files.exists(sysClassNet.resolve(link));
    }

    /**
     * Makes sure the bridge exists, carries the subnet's gateway address and is up, then creates a
     * veth pair whose host end joins the bridge (hairpin on) and whose other end appears as eth0 in
     * the namespace at {@code netnsPath} with the address and the default route: the requests of
     * {@code ip link add ... type bridge}, {@code ip addr replace}, {@code ip link add ... type veth
     * peer name eth0 netns PATH}, {@code ip link set ... master ... up} and, in the namespace,
     * {@code ip addr add}, {@code ip link set up} and {@code ip route add default}. The gateway is
     * set with replace, which leaves an address that is already there as it is, so it need not be
     * read first; the first failing request stops the rest, as {@code ip -batch} did.
     *
     * <p>Published ports reach containers from the host's loopback through DNAT, which the kernel
     * only routes out of a non-loopback device when route_localnet is set on it (Kubernetes does
     * the same for NodePorts); the alternative, a userland proxy, would need a process that
     * outlives the CLI.
     */
    public void connectContainer(String bridge, Subnet subnet, String hostEnd, Path netnsPath, int mtu,
            Ipv4Address address) {
        try (RouteSocket host = RouteSocket.open()) {
            if (!exists(bridge)) {
                host.send(RouteRequest.of(RTM_NEWLINK, (short) (NLM_F_CREATE | NLM_F_EXCL), "create bridge " + bridge).emptyIfinfo()
                        .string(IFLA_IFNAME, bridge).u32(IFLA_MTU, mtu)
                        .beginNested(IFLA_LINKINFO).string(IFLA_INFO_KIND, "bridge").endNested());
            }
            int bridgeIndex = index(bridge);
            host.send(RouteRequest.of(RTM_NEWADDR, (short) (NLM_F_CREATE | NLM_F_REPLACE), "set the address of " + bridge)
                    .ifaddr(subnet.prefixLength(), bridgeIndex)
                    .ipv4(IFA_LOCAL, bytes(subnet.gateway())).ipv4(IFA_ADDRESS, bytes(subnet.gateway())));
            host.send(RouteRequest.of(RTM_NEWLINK, (short) 0, "bring " + bridge + " up").ifinfo(bridgeIndex, IFF_UP, IFF_UP));
            try (RouteSocket.OpenNamespace container = RouteSocket.OpenNamespace.open(netnsPath)) {
                host.send(RouteRequest.of(RTM_NEWLINK, (short) (NLM_F_CREATE | NLM_F_EXCL), "create veth " + hostEnd).emptyIfinfo()
                        .string(IFLA_IFNAME, hostEnd).u32(IFLA_MTU, mtu)
                        .beginNested(IFLA_LINKINFO).string(IFLA_INFO_KIND, "veth")
                        .beginNested(IFLA_INFO_DATA).beginNested(VETH_INFO_PEER).emptyIfinfo()
                        .string(IFLA_IFNAME, CONTAINER_INTERFACE).u32(IFLA_NET_NS_FD, container.fd()).u32(IFLA_MTU, mtu)
                        .endNested().endNested().endNested());
            }
            host.send(RouteRequest.of(RTM_NEWLINK, (short) 0, "attach " + hostEnd + " to " + bridge).ifinfo(index(hostEnd), IFF_UP, IFF_UP)
                    .u32(IFLA_MASTER, bridgeIndex));
        }
        // Hairpin mode lets a container reach its own published port through a host address: the
        // DNAT'd packet leaves the bridge by the port it came in on.
        writeSysctl(sysClassNet.resolve(hostEnd).resolve("brport/hairpin_mode"), "1");
        writeSysctl(procSysNet.resolve("ipv4/conf").resolve(bridge).resolve("route_localnet"), "1");
        writeSysctl(procSysNet.resolve("ipv4/ip_forward"), "1");
        RouteSocket.inNamespace(netnsPath, container -> {
            container.send(RouteRequest.of(RTM_NEWLINK, (short) 0, "bring lo up in " + netnsPath).ifinfo(RouteSocket.indexOf("lo"), IFF_UP, IFF_UP));
            int eth0 = RouteSocket.indexOf(CONTAINER_INTERFACE);
            container.send(RouteRequest.of(RTM_NEWADDR, (short) (NLM_F_CREATE | NLM_F_EXCL), "add " + address + " to " + CONTAINER_INTERFACE)
                    .ifaddr(subnet.prefixLength(), eth0).ipv4(IFA_LOCAL, bytes(address)).ipv4(IFA_ADDRESS, bytes(address)));
            container.send(RouteRequest.of(RTM_NEWLINK, (short) 0, "bring " + CONTAINER_INTERFACE + " up").ifinfo(eth0, IFF_UP, IFF_UP));
            container.send(RouteRequest.of(RTM_NEWROUTE, (short) (NLM_F_CREATE | NLM_F_EXCL), "add the default route via " + subnet.gateway())
                    .rtmsg(0).ipv4(RTA_GATEWAY, bytes(subnet.gateway())).u32(RTA_OIF, eth0));
        });
    }

    /** Deletes a link if it is there (deleting one end of a veth deletes both); returns whether it was. */
    public boolean deleteIfPresent(String link) {
        if (!exists(link)) {
            return false;
        }
        try (RouteSocket host = RouteSocket.open()) {
            host.send(RouteRequest.of(RTM_DELLINK, (short) 0, "delete " + link).emptyIfinfo().string(IFLA_IFNAME, link));
            return true;
        } catch (NetworkException e) {
            if (exists(link)) {
                throw e;
            }
            return false; // removed meanwhile, by its namespace ending or by another nvjrun
        }
    }

    /** Names of the links enslaved to the bridge (the host ends of container veths), from sysfs. */
    public List<String> linksOnBridge(String bridge) {
        Path ports = sysClassNet.resolve(bridge).resolve("brif");
        if (!Files.isDirectory(ports)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(ports)) {
            return entries.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new NetworkException("cannot list the ports of bridge " + bridge + ": " + e.getMessage(), e);
        }
    }

    /** IPv4 destinations of the host's routes (main table, unicast), so a new subnet can avoid them. */
    public List<Subnet> routedSubnets() {
        List<Subnet> subnets = new ArrayList<>();
        for (MainRoute route : mainRoutes()) {
            if (route.prefixLength() > 0) {
                subnets.add(new Subnet(route.destination(), route.prefixLength()));
            }
        }
        return subnets;
    }

    /** MTU of the route the host's default traffic takes (its own, else its device's), which containers must not exceed. */
    public int defaultRouteMtu() {
        for (MainRoute route : mainRoutes()) {
            if (route.prefixLength() == 0) {
                if (route.mtu() > 0) {
                    return route.mtu();
                }
                String device = RouteSocket.nameOf(route.outputIndex());
                return device == null ? FALLBACK_MTU : readMtu(device).orElse(FALLBACK_MTU);
            }
        }
        return FALLBACK_MTU;
    }

    private static List<MainRoute> mainRoutes() {
        try (RouteSocket host = RouteSocket.open()) {
            return MainRoute.list(host);
        }
    }

    private int index(String link) {
        int index = RouteSocket.indexOf(link);
        if (index == 0) {
            throw new NetworkException("link " + link + " disappeared while nvjrun configured it; another process removed it");
        }
        return index;
    }

    /** The address as netlink carries it, in network byte order. */
    private static byte[] bytes(Ipv4Address address) {
        return ByteBuffer.allocate(4).putInt(address.bits()).array();
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
