package dev.nvjrun.runtime.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.nvjrun.runtime.network.address.Subnet;
import dev.nvjrun.runtime.network.firewall.FirewallChoice;
import dev.nvjrun.runtime.network.firewall.NftablesFirewall;
import dev.nvjrun.runtime.network.host.CommandRunner;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * A private corner of this machine for one test: its own state directory, default bridge, subnet
 * and iptables chain prefix, so tests never touch nvjrun0/NVJRUN or each other. {@link #close()}
 * removes every bridge, rule and namespace the test made, also when it failed.
 */
final class NetworkTestHost implements AutoCloseable {
    final Path stateDir;
    final String bridge;
    final String chainPrefix;
    final Subnet subnet;
    final NetworkSettings settings;
    final ContainerNetworking networking;
    private final List<AutoCloseable> resources = new ArrayList<>();

    NetworkTestHost(Path tempDir) throws IOException {
        this(tempDir, new CommandRunner(), FirewallChoice.AUTO);
    }

    NetworkTestHost(Path tempDir, FirewallChoice firewall) throws IOException {
        this(tempDir, new CommandRunner(), firewall);
    }

    NetworkTestHost(Path tempDir, CommandRunner commands, FirewallChoice firewall) throws IOException {
        requireRoot();
        String suffix = String.format("%06x", ThreadLocalRandom.current().nextInt(0x1000000));
        this.stateDir = tempDir.resolve("state");
        this.bridge = "nvjt" + suffix;
        this.chainPrefix = "NVJT" + suffix.toUpperCase();
        this.subnet = Subnet.parse("10." + (200 + ThreadLocalRandom.current().nextInt(50)) + "."
                + ThreadLocalRandom.current().nextInt(256) + ".0/24");
        Path resolvConf = Files.createDirectories(tempDir).resolve("host-resolv.conf");
        Files.writeString(resolvConf, "nameserver 127.0.0.53\nsearch example.test\noptions edns0\n");
        this.settings = NetworkSettings.defaults(stateDir).withDefaultBridge(bridge, subnet)
                .withChainPrefix(chainPrefix).withHostResolvConf(resolvConf).withFirewall(firewall);
        this.networking = new ContainerNetworking(settings, commands);
    }

    /** A fresh container network namespace, killed when the test ends. */
    TestNamespace namespace() throws IOException, InterruptedException {
        TestNamespace namespace = TestNamespace.start();
        resources.add(namespace);
        return namespace;
    }

    OutsideHost outsideHost() throws IOException, InterruptedException {
        OutsideHost outside = OutsideHost.create();
        resources.add(outside);
        return outside;
    }

    /** A busybox httpd serving {@code body} as index.html on port 80 of the namespace. */
    void serveHttp(TestNamespace namespace, Path dir, String body) throws Exception {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("index.html"), body);
        namespace.startServer("busybox", "httpd", "-f", "-p", "80", "-h", dir.toString());
        awaitListening(namespace, 80);
    }

    static void awaitListening(TestNamespace namespace, int port) throws Exception {
        for (int i = 0; i < 100; i++) {
            // /proc/net shows the reader's namespace; a listening socket has state 0A. Probing with a
            // connection would need loopback up, which only attach does.
            String sockets = namespace.exec("cat", "/proc/net/tcp", "/proc/net/tcp6");
            if (sockets.lines().anyMatch(line -> line.matches(String.format("\\s*\\d+: [0-9A-F]+:%04X [0-9A-F]+:0000 0A.*", port)))) {
                return;
            }
            Thread.sleep(20);
        }
        fail("nothing listens on port " + port + " in the namespace");
    }

    static String httpGet(String host, int port) throws IOException, InterruptedException {
        try (HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build()) {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create("http://" + host + ":" + port
                    + "/")).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode(), "HTTP status from " + host + ":" + port);
            return response.body();
        }
    }

    /** What the given containers' attachments left behind, counted from the kernel and the state directory. */
    Leftovers leftovers(List<String> containerIds) throws IOException {
        List<String> ownRules = ownRules();
        int links = 0;
        int rules = 0;
        int leases = 0;
        int records = 0;
        String leaseText = "";
        Path leaseDir = stateDir.resolve("leases");
        if (Files.isDirectory(leaseDir)) {
            try (Stream<Path> files = Files.list(leaseDir)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".json")).toList()) {
                    leaseText += Files.readString(file);
                }
            }
        }
        for (String id : containerIds) {
            if (Files.exists(Path.of("/sys/class/net", ContainerNetworking.hostEnd(id)))) {
                links++;
            }
            rules += (int) ownRules.stream().filter(line -> line.contains("\"nvjrun:" + id + "\"")).count();
            leases += (int) leaseText.lines().filter(line -> line.strip().startsWith("\"" + id + "\" :")).count();
            if (Files.exists(stateDir.resolve("attachments").resolve(id + ".json"))) {
                records++;
            }
        }
        return new Leftovers(links, rules, leases, records);
    }

    /** nvjrun's rules as the kernel lists them, read with the tool of the backend in use. */
    List<String> ownRules() {
        CommandRunner commands = new CommandRunner();
        if (networking.firewall() instanceof NftablesFirewall) {
            return commands.attempt(List.of("nft", "list", "table", "ip", chainPrefix.toLowerCase()), null).stdout()
                    .lines().filter(line -> line.contains(" comment \"nvjrun")).toList();
        }
        return commands.run(List.of("iptables-save")).stdout().lines()
                .filter(line -> line.startsWith("-A " + chainPrefix)).toList();
    }

    /** Container rules only: the network's own MASQUERADE and FORWARD rules stay while the network exists. */
    record Leftovers(int links, int containerRules, int leases, int records) {
        static final Leftovers NONE = new Leftovers(0, 0, 0, 0);
    }

    @Override
    public void close() throws Exception {
        for (AutoCloseable resource : resources.reversed()) {
            resource.close();
        }
        networking.resetHost();
    }

    static void requireRoot() {
        if (!"root".equals(System.getProperty("user.name"))) {
            fail("networking tests create bridges, veths and iptables rules and must run as root; run them with sudo");
        }
    }
}
