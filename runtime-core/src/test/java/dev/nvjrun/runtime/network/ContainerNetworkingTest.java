package dev.nvjrun.runtime.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nvjrun.runtime.network.dns.HostEntry;
import dev.nvjrun.runtime.network.firewall.FirewallChoice;
import dev.nvjrun.runtime.network.host.HostLinks;
import dev.nvjrun.runtime.network.host.CommandRunner;
import dev.nvjrun.runtime.network.port.PortMapping;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The default bridge network against the real kernel: run as root. */
class ContainerNetworkingTest {
    @TempDir
    Path tempDir;
    NetworkTestHost host;

    @BeforeEach
    void setUp() throws Exception {
        host = new NetworkTestHost(tempDir);
    }

    @AfterEach
    void tearDown() throws Exception {
        host.close();
    }

    @Test
    void attachedNamespaceGetsAddressAndReachesTheBridge() throws Exception {
        TestNamespace container = host.namespace();
        String id = UUID.randomUUID().toString().replace("-", "");

        NetworkAttachment attachment = host.networking.attach(ContainerNetworkRequest.of(id, "web", container.path()));

        assertTrue(host.subnet.contains(attachment.address()), attachment.address() + " in " + host.subnet);
        assertEquals(host.subnet.gateway(), attachment.gateway());
        assertEquals(host.bridge, attachment.bridge());
        String addresses = container.exec("ip", "-o", "-4", "addr", "show", "dev", "eth0");
        assertTrue(addresses.contains(attachment.address() + "/24"), addresses);
        assertTrue(container.exec("ip", "route").contains("default via " + host.subnet.gateway()));
        assertTrue(container.exec("ip", "-o", "link", "show", "lo").contains("UP"), "loopback is up");
        int hostMtu = new HostLinks().defaultRouteMtu();
        assertEquals(hostMtu, attachment.mtu());
        assertTrue(container.exec("ip", "-o", "link", "show", "eth0").contains("mtu " + hostMtu));
        container.exec("busybox", "ping", "-c", "1", "-W", "2", host.subnet.gateway().toString());
        assertTrue(attachment.hosts().contains(attachment.address() + "\t" + id.substring(0, 12) + " web\n"),
                attachment.hosts());
    }

    @Test
    void attachRepairsABridgeThatWasTakenDownOrLostItsAddressWithoutDoublingIt() throws Exception {
        TestNamespace first = host.namespace();
        TestNamespace second = host.namespace();
        TestNamespace third = host.namespace();
        CommandRunner commands = new CommandRunner();
        String gateway = "inet " + host.subnet.gateway() + "/" + host.subnet.prefixLength() + " ";
        host.networking.attach(ContainerNetworkRequest.of("c1", "one", first.path()));
        commands.run(List.of("ip", "link", "set", host.bridge, "down"));

        host.networking.attach(ContainerNetworkRequest.of("c2", "two", second.path()));

        String shown = commands.run(List.of("ip", "-o", "-4", "addr", "show", "dev", host.bridge)).stdout();
        assertEquals(1, shown.lines().filter(line -> line.contains(gateway)).count(), shown);
        assertTrue(commands.run(List.of("ip", "-o", "link", "show", host.bridge)).stdout().contains(",UP"),
                "the bridge is up again");
        second.exec("busybox", "ping", "-c", "1", "-W", "2", host.subnet.gateway().toString());

        commands.run(List.of("ip", "addr", "flush", "dev", host.bridge));
        host.networking.attach(ContainerNetworkRequest.of("c3", "three", third.path()));

        shown = commands.run(List.of("ip", "-o", "-4", "addr", "show", "dev", host.bridge)).stdout();
        assertEquals(1, shown.lines().filter(line -> line.contains(gateway)).count(), shown);
        third.exec("busybox", "ping", "-c", "1", "-W", "2", host.subnet.gateway().toString());
    }

    @Test
    void resolvConfReplacesLoopbackResolversAndHonoursDnsFlags() throws Exception {
        TestNamespace first = host.namespace();
        TestNamespace second = host.namespace();

        NetworkAttachment inherited = host.networking.attach(ContainerNetworkRequest.of("c1", "one", first.path()));
        NetworkAttachment custom = host.networking.attach(ContainerNetworkRequest.of("c2", "two", second.path())
                .withDns(List.of("10.1.2.3"), List.of("corp.test"), List.of("ndots:2")).withHostname("gpu-box")
                .withExtraHosts(List.of(HostEntry.parse("db:10.9.9.9"), HostEntry.parse("hostside:host-gateway"))));

        assertEquals("search example.test\nnameserver 8.8.8.8\nnameserver 8.8.4.4\noptions edns0\n",
                inherited.resolvConf());
        assertEquals("search corp.test\nnameserver 10.1.2.3\noptions ndots:2\n", custom.resolvConf());
        assertTrue(custom.hosts().contains(custom.address() + "\tgpu-box two\n"), custom.hosts());
        assertTrue(custom.hosts().contains("10.9.9.9\tdb\n"), custom.hosts());
        assertTrue(custom.hosts().contains(host.subnet.gateway() + "\thostside\n"), custom.hosts());
        assertFalse(custom.hosts().contains("one"), "the default network does not resolve peers, as in Docker");
    }

    @ParameterizedTest
    @EnumSource(value = FirewallChoice.class, names = {"IPTABLES", "NFTABLES"})
    void loopbackPublishedPortAnswersHttpFromTheHost(FirewallChoice firewall) throws Exception {
        host.close();
        host = new NetworkTestHost(tempDir.resolve(firewall.name()), firewall);
        TestNamespace container = host.namespace();
        host.serveHttp(container, tempDir.resolve(firewall + "-www"), "hello from the container\n");
        int port = freeLoopbackPort();

        host.networking.attach(ContainerNetworkRequest.of("web1", "web", container.path())
                .withPorts(List.of(PortMapping.parse("127.0.0.1:" + port + ":80"))));

        assertEquals("hello from the container\n", NetworkTestHost.httpGet("127.0.0.1", port));
        assertEquals(List.of(new PortMapping("127.0.0.1", port, 80, dev.nvjrun.runtime.network.port.Protocol.TCP)),
                host.networking.ports("web"));
    }

    @Test
    void portWithoutHostPortGetsAFreeOneReachableOnEveryHostAddress() throws Exception {
        TestNamespace container = host.namespace();
        host.serveHttp(container, tempDir.resolve("www"), "any\n");

        NetworkAttachment attachment = host.networking.attach(ContainerNetworkRequest.of("any1", "any",
                container.path()).withPorts(List.of(PortMapping.parse("80"))));

        int hostPort = attachment.ports().get(0).hostPort();
        assertNotEquals(0, hostPort);
        assertEquals("any\n", NetworkTestHost.httpGet("127.0.0.1", hostPort));
        for (String address : hostAddresses()) {
            assertEquals("any\n", NetworkTestHost.httpGet(address, hostPort), "via the host's own " + address);
        }
    }

    @ParameterizedTest
    @EnumSource(value = FirewallChoice.class, names = {"IPTABLES", "NFTABLES"})
    void containersReachPublishedPortsThroughTheGateway(FirewallChoice firewall) throws Exception {
        host.close();
        host = new NetworkTestHost(tempDir.resolve(firewall.name()), firewall);
        TestNamespace server = host.namespace();
        TestNamespace client = host.namespace();
        host.serveHttp(server, tempDir.resolve(firewall + "-hairpin"), "hairpin\n");
        NetworkAttachment published = host.networking.attach(ContainerNetworkRequest.of("srv", "srv", server.path())
                .withPorts(List.of(PortMapping.parse("80"))));
        host.networking.attach(ContainerNetworkRequest.of("cli", "cli", client.path()));
        String url = "http://" + published.gateway() + ":" + published.ports().get(0).hostPort() + "/";

        assertEquals("hairpin\n", client.exec("busybox", "wget", "-q", "-O", "-", url), "another container");
        assertEquals("hairpin\n", server.exec("busybox", "wget", "-q", "-O", "-", url), "the container itself");
    }

    /** The host's global IPv4 addresses: local traffic, it never leaves the machine. */
    private static List<String> hostAddresses() {
        return new CommandRunner().run(List.of("ip", "-4", "-o", "addr", "show", "scope", "global")).stdout().lines()
                .map(line -> line.split("\\s+")[3].split("/")[0])
                .filter(address -> !address.startsWith("10.2")).limit(2).toList();
    }

    @Test
    void refusesAHostPortAnotherContainerPublishesAndLeavesNothing() throws Exception {
        TestNamespace first = host.namespace();
        TestNamespace second = host.namespace();
        int port = freeLoopbackPort();
        host.networking.attach(ContainerNetworkRequest.of("p1", "p1", first.path())
                .withPorts(List.of(PortMapping.parse(port + ":80"))));
        NetworkTestHost.Leftovers before = host.leftovers(List.of("p1", "p2"));

        NetworkException error = assertThrows(NetworkException.class, () -> host.networking.attach(
                ContainerNetworkRequest.of("p2", "p2", second.path())
                        .withPorts(List.of(PortMapping.parse("127.0.0.1:" + port + ":81")))));

        assertTrue(error.getMessage().contains("host port " + port + "/tcp is already published"), error.getMessage());
        assertEquals(before, host.leftovers(List.of("p1", "p2")));
        assertFalse(container(second).contains("eth0"), "no interface was made");
    }

    @Test
    void refusesAPortAHostProcessListensOnAndAnAddressThatIsNotTheHosts() throws Exception {
        TestNamespace container = host.namespace();
        try (ServerSocket hostService = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            int port = hostService.getLocalPort();

            NetworkException inUse = assertThrows(NetworkException.class, () -> host.networking.attach(
                    ContainerNetworkRequest.of("busy", "busy", container.path())
                            .withPorts(List.of(PortMapping.parse("127.0.0.1:" + port + ":80")))));
            NetworkException foreign = assertThrows(NetworkException.class, () -> host.networking.attach(
                    ContainerNetworkRequest.of("busy", "busy", container.path())
                            .withPorts(List.of(PortMapping.parse("203.0.113.9:8080:80")))));

            assertEquals("cannot publish 127.0.0.1:" + port + "/tcp: a process on the host already uses it; stop it or"
                    + " choose another host port", inUse.getMessage());
            assertEquals("cannot publish 203.0.113.9:8080/tcp: 203.0.113.9 is not an address of this host; use one of"
                    + " its addresses or leave the host IP out", foreign.getMessage());
            assertEquals(NetworkTestHost.Leftovers.NONE, host.leftovers(List.of("busy")));
        }
    }

    @Test
    void refusesAMissingNamespaceWithoutLeavingALease() throws Exception {
        NetworkException error = assertThrows(NetworkException.class, () -> host.networking.attach(
                ContainerNetworkRequest.of("ghost", "ghost", Path.of("/proc/999999999/ns/net"))));

        assertTrue(error.getMessage().contains("network namespace /proc/999999999/ns/net does not exist"),
                error.getMessage());
        assertEquals(NetworkTestHost.Leftovers.NONE, host.leftovers(List.of("ghost")));
    }

    @Test
    void refusesAFileThatIsNotANamespaceWithoutLeavingAnything() throws Exception {
        Path notANamespace = Files.writeString(tempDir.resolve("plain-file"), "x");

        NetworkException error = assertThrows(NetworkException.class, () -> host.networking.attach(
                ContainerNetworkRequest.of("plain", "plain", notANamespace)));

        assertEquals(notANamespace + " is not a network namespace; pass /proc/PID/ns/net of the container's running"
                + " process or a bind-mounted namespace file", error.getMessage());
        assertEquals(NetworkTestHost.Leftovers.NONE, host.leftovers(List.of("plain")));
    }

    @Test
    void refusesASecondAttachOfTheSameContainer() throws Exception {
        TestNamespace container = host.namespace();
        host.networking.attach(ContainerNetworkRequest.of("twice", "twice", container.path()));

        NetworkException error = assertThrows(NetworkException.class, () -> host.networking.attach(
                ContainerNetworkRequest.of("twice", "twice", container.path())));

        assertEquals("container twice is already attached to network 'bridge'; detach it first", error.getMessage());
        assertEquals(new NetworkTestHost.Leftovers(1, 0, 1, 1), host.leftovers(List.of("twice")));
    }

    @Test
    void refusesBadIdsAndHostnamesBeforeTouchingTheHost() throws Exception {
        TestNamespace container = host.namespace();

        assertThrows(NetworkException.class, () -> host.networking.attach(
                ContainerNetworkRequest.of("../etc", "x", container.path())));
        NetworkException hostname = assertThrows(NetworkException.class, () -> host.networking.attach(
                ContainerNetworkRequest.of("okid", "ok", container.path()).withHostname("bad host")));

        assertTrue(hostname.getMessage().startsWith("invalid --hostname 'bad host'"), hostname.getMessage());
        assertFalse(Files.exists(host.stateDir.resolve("attachments")), "no state was written");
    }

    @Test
    void concurrentAttachesFromTwoProcessesGetDistinctAddresses() throws Exception {
        // Two instances on one state directory take the file lock like two nvjrun processes would.
        ContainerNetworking other = new ContainerNetworking(host.settings);
        List<TestNamespace> namespaces = new java.util.ArrayList<>();
        for (int i = 0; i < 8; i++) {
            namespaces.add(host.namespace());
        }
        java.util.Set<String> addresses = java.util.concurrent.ConcurrentHashMap.newKeySet();
        List<Thread> threads = new java.util.ArrayList<>();
        for (int i = 0; i < 8; i++) {
            ContainerNetworking networking = i % 2 == 0 ? host.networking : other;
            ContainerNetworkRequest request = ContainerNetworkRequest.of("con" + i, "con" + i, namespaces.get(i).path());
            threads.add(Thread.ofPlatform().start(() -> addresses.add(networking.attach(request).address().toString())));
        }
        for (Thread thread : threads) {
            thread.join();
        }

        assertEquals(8, addresses.size(), addresses.toString());
        for (int i = 0; i < 8; i++) {
            assertTrue(namespaces.get(i).exec("ip", "-o", "-4", "addr", "show", "dev", "eth0")
                    .contains(host.networking.attachment("con" + i).orElseThrow().address() + "/"));
        }
    }

    @Test
    void containerModeFindsTheNamespaceOfANamedContainer() throws Exception {
        TestNamespace container = host.namespace();
        host.networking.attach(ContainerNetworkRequest.of("base1", "base", container.path()));

        NetworkMode mode = NetworkMode.parse("container:base");

        String target = ((NetworkMode.Container) mode).container();
        assertEquals(container.path().toString(), host.networking.attachment(target).orElseThrow().netnsPath());
    }

    private static String container(TestNamespace namespace) throws Exception {
        return namespace.exec("ip", "-o", "link");
    }

    private static int freeLoopbackPort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
