package dev.nvjrun.runtime.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nvjrun.runtime.network.firewall.FirewallChoice;
import dev.nvjrun.runtime.network.port.PortMapping;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Traffic between containers and a machine "outside" the host, simulated by a named network
 * namespace on a veth; nothing leaves this machine. Run as root.
 */
class OutsideHostTest {
    @TempDir
    Path tempDir;
    NetworkTestHost host;

    @AfterEach
    void tearDown() throws Exception {
        if (host != null) {
            host.close();
        }
    }

    @ParameterizedTest
    @EnumSource(value = FirewallChoice.class, names = {"IPTABLES", "NFTABLES"})
    void outsideHostReachesAPublishedPort(FirewallChoice firewall) throws Exception {
        host = new NetworkTestHost(tempDir, firewall);
        OutsideHost outside = host.outsideHost();
        TestNamespace container = host.namespace();
        host.serveHttp(container, tempDir.resolve("www"), "published\n");
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        host.networking.attach(ContainerNetworkRequest.of("pub1", "pub", container.path())
                .withPorts(List.of(PortMapping.parse(port + ":80"))));

        String body = outside.exec("busybox", "wget", "-q", "-O", "-", "http://" + outside.hostAddress() + ":" + port + "/");

        assertEquals("published\n", body);
    }

    @ParameterizedTest
    @EnumSource(value = FirewallChoice.class, names = {"IPTABLES", "NFTABLES"})
    void outboundTrafficIsMasqueradedToTheHostAddress(FirewallChoice firewall) throws Exception {
        host = new NetworkTestHost(tempDir, firewall);
        OutsideHost outside = host.outsideHost();
        Path www = Files.createDirectories(tempDir.resolve("outside-www"));
        Files.writeString(www.resolve("index.html"), "from outside\n");
        Path log = tempDir.resolve("outside-httpd.log");
        outside.startServer(log, "busybox", "httpd", "-f", "-vv", "-p", outside.address() + ":80", "-h", www.toString());
        TestNamespace container = host.namespace();
        host.networking.attach(ContainerNetworkRequest.of("out1", "client", container.path()));

        // The outside machine has no route to the container subnet: the reply arrives only if the
        // host rewrote the source to its own address on that link.
        String body = null;
        for (int attempt = 0; attempt < 50 && body == null; attempt++) {
            TestNamespace.Result result = container.run("busybox", "wget", "-q", "-O", "-", "http://" + outside.address() + "/");
            if (result.status() == 0) {
                body = result.output();
            } else {
                Thread.sleep(50);
            }
        }

        assertEquals("from outside\n", body);
        String served = Files.readString(log);
        assertTrue(served.contains(outside.hostAddress()), "the server saw the host's address: " + served);
    }
}
