package dev.nvjrun.runtime.network.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nvjrun.runtime.network.NetworkException;
import dev.nvjrun.runtime.network.address.Ipv4Address;
import dev.nvjrun.runtime.network.address.Subnet;
import dev.nvjrun.runtime.network.netlink.RouteRequest;
import dev.nvjrun.runtime.network.netlink.RouteSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * HostLinks speaks rtnetlink itself; iproute2, run beside it, says whether the kernel ended up as
 * {@code ip} would have left it. Run as root; every link and namespace is named for this test run.
 */
class HostLinksTest {
    private final CommandRunner commands = new CommandRunner();
    private final HostLinks links = new HostLinks();
    private final String suffix = String.format("%05x", ThreadLocalRandom.current().nextInt(0x100000));
    private final String bridge = "nvjtb" + suffix;
    private final String hostEnd = "nvjth" + suffix;
    private final String namespace = "nvjtn" + suffix;
    private final Path namespaceFile = Path.of("/run/netns", namespace);

    @AfterEach
    void removeLeftovers() {
        commands.attempt(List.of("ip", "link", "del", hostEnd), null);
        commands.attempt(List.of("ip", "link", "del", bridge), null);
        commands.attempt(List.of("ip", "netns", "delete", namespace), null);
    }

    @Test
    void connectsAContainerAsIpDidAndDeletesItsLink() throws Exception {
        commands.run(List.of("ip", "netns", "add", namespace));
        Subnet subnet = Subnet.parse("10.231.7.0/24");

        links.connectContainer(bridge, subnet, hostEnd, namespaceFile, 1400, Ipv4Address.parse("10.231.7.9"));

        String bridgeShown = commands.run(List.of("ip", "-o", "-4", "addr", "show", "dev", bridge)).stdout();
        assertTrue(bridgeShown.contains("inet 10.231.7.1/24"), bridgeShown);
        String hostShown = commands.run(List.of("ip", "-o", "-d", "link", "show", hostEnd)).stdout();
        assertTrue(hostShown.contains("master " + bridge) && hostShown.contains("mtu 1400") && hostShown.contains(",UP")
                && hostShown.contains("hairpin on"), hostShown);
        String eth0 = commands.run(List.of("ip", "-n", namespace, "-o", "addr", "show", "dev", "eth0")).stdout();
        assertTrue(eth0.contains("inet 10.231.7.9/24"), eth0);
        assertTrue(commands.run(List.of("ip", "-n", namespace, "-o", "link", "show", "eth0")).stdout().contains("mtu 1400"));
        assertTrue(commands.run(List.of("ip", "-n", namespace, "-o", "link", "show", "lo")).stdout().contains(",UP"));
        assertEquals("default via 10.231.7.1 dev eth0", commands.run(List.of("ip", "-n", namespace, "route", "show", "default"))
                .stdout().strip());
        assertEquals(List.of(hostEnd), links.linksOnBridge(bridge));
        assertFalse(Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals("nvjrun-netns-config")),
                "the thread that entered the namespace has ended");
        assertEquals(Files.readSymbolicLink(Path.of("/proc/self/ns/net")), Files.readSymbolicLink(Path.of("/proc/thread-self/ns/net")),
                "this thread is still in the host's namespace");

        assertTrue(links.deleteIfPresent(hostEnd));
        assertFalse(links.exists(hostEnd));
        assertFalse(links.deleteIfPresent(hostEnd), "gone already");
        assertEquals(List.of(), links.linksOnBridge(bridge));
    }

    @Test
    void aSecondVethOfTheSameNameFailsWithTheKernelsReasonAndLeavesTheFirst() throws Exception {
        commands.run(List.of("ip", "netns", "add", namespace));
        Subnet subnet = Subnet.parse("10.231.8.0/24");
        links.connectContainer(bridge, subnet, hostEnd, namespaceFile, 1500, Ipv4Address.parse("10.231.8.2"));

        NetworkException e = assertThrows(NetworkException.class, () ->
                links.connectContainer(bridge, subnet, hostEnd, namespaceFile, 1500, Ipv4Address.parse("10.231.8.3")));

        assertEquals("cannot create veth " + hostEnd + ": File exists", e.getMessage());
        assertTrue(links.exists(hostEnd));
    }

    @Test
    void aMissingNamespaceIsNamedInTheError() {
        NetworkException e = assertThrows(NetworkException.class, () -> links.connectContainer(bridge, Subnet.parse("10.231.9.0/24"),
                hostEnd, Path.of("/run/netns/no-such-" + suffix), 1500, Ipv4Address.parse("10.231.9.2")));

        assertEquals("cannot open the network namespace /run/netns/no-such-" + suffix + ": No such file or directory", e.getMessage());
        assertFalse(links.exists(hostEnd));
    }

    @Test
    void readsTheRoutesIpShows() {
        List<Subnet> fromIp = new ArrayList<>();
        for (String line : commands.run(List.of("ip", "-4", "route", "show")).stdout().split("\n")) {
            String destination = line.strip().split("\\s+")[0];
            if (destination.contains("/")) {
                fromIp.add(Subnet.parse(destination));
            } else if (Ipv4Address.isValid(destination)) {
                fromIp.add(new Subnet(Ipv4Address.parse(destination), 32));
            }
        }
        assertEquals(fromIp, links.routedSubnets());

        String route = commands.run(List.of("ip", "-4", "route", "show", "default")).stdout();
        if (!route.isBlank()) {
            String[] words = route.strip().split("\\s+");
            int dev = List.of(words).indexOf("dev");
            int mtuAt = List.of(words).indexOf("mtu");
            int expected = mtuAt >= 0 ? Integer.parseInt(words[mtuAt + 1])
                    : Integer.parseInt(commands.run(List.of("cat", "/sys/class/net/" + words[dev + 1] + "/mtu")).stdout().strip());
            assertEquals(expected, links.defaultRouteMtu());
        }
    }

    @Test
    void aRequestWithAnOpenAttributeIsRefusedBeforeItIsSent() {
        RouteRequest unfinished = RouteRequest.of(RouteRequest.RTM_NEWLINK, (short) 0, "half a request").emptyIfinfo()
                .beginNested(RouteRequest.IFLA_LINKINFO);
        try (RouteSocket socket = RouteSocket.open()) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> socket.send(unfinished));
            assertEquals("an attribute of 'half a request' is still open", e.getMessage());
        }
    }
}
