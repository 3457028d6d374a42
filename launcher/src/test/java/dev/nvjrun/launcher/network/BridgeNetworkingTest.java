package dev.nvjrun.launcher.network;

import dev.nvjrun.launcher.CommandLineTest;
import dev.nvjrun.launcher.CommandLineTest.Run;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bridge networking through the command line, as root, on real veths, bridges, namespaces and rules.
 * Servers listen in the test's own containers and are reached over loopback; nothing leaves the machine.
 */
class BridgeNetworkingTest {
    @TempDir
    static Path tmp;
    static Path root;
    static NetworkNames names;

    @BeforeAll
    static void importImage() throws Exception {
        root = tmp.resolve("state");
        TestImage.importInto(root, tmp);
        names = NetworkNames.forRoot(root);
    }

    @AfterAll
    static void removeEverything() throws IOException, InterruptedException {
        for (String id : nvjrun("ps", "-a", "-q", "--no-trunc").out().lines().toList()) {
            nvjrun("rm", "-f", id);
        }
        ContainerNetworks.forRoot(root).networking().resetHost();
        nvjrun("network", "rm", "peers");
        unmountRootfsOfSelfRemovedContainers();
    }

    /** A self-removed container's root file system stays mounted for a minute (it could be one being created). */
    private static void unmountRootfsOfSelfRemovedContainers() throws IOException, InterruptedException {
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            String mountPoint = line.split(" ")[4];
            if (mountPoint.startsWith(root.toString() + "/")) {
                new ProcessBuilder("umount", "-l", mountPoint).inheritIO().start().waitFor();
            }
        }
    }

    static Run nvjrun(String... args) {
        List<String> all = new ArrayList<>(List.of("--root", root.toString()));
        all.addAll(List.of(args));
        return CommandLineTest.run(all.toArray(String[]::new));
    }

    /** Runs {@code script} in a new container with {@code flags}; its output comes back through a volume. */
    private static Run script(List<String> flags, String script) throws IOException {
        Path share = Files.createTempDirectory(tmp, "out");
        List<String> args = new ArrayList<>(List.of("run", "--rm", "-v", share + ":/out"));
        args.addAll(flags);
        args.addAll(List.of(TestImage.NAME, "sh", "-c", "(" + script + ") > /out/log 2>&1"));
        Run r = nvjrun(args.toArray(String[]::new));
        Path log = share.resolve("log");
        return new Run(r.status(), Files.exists(log) ? Files.readString(log) : "", r.err());
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void containerGetsAnAddressAndReachesTheBridge() throws IOException {
        Run r = script(List.of(),
                "ip -4 -o addr show eth0; gw=$(ip route | awk '/default/ {print $3}'); ping -c 1 -W 2 $gw >/dev/null && echo reached $gw");
        assertEquals(0, r.status(), r.out() + r.err());
        assertTrue(r.out().contains("inet "), r.out());
        assertTrue(r.out().contains("reached "), r.out());
    }

    @Test
    void publishedHttpdAnswersFromTheHostsLoopback() throws Exception {
        int port = freePort();
        Run started = nvjrun("run", "-d", "--name", "web", "-p", "127.0.0.1:" + port + ":80", TestImage.NAME,
                "httpd", "-f", "-p", "80", "-h", "/www");
        assertEquals(0, started.status(), started.err());
        try {
            assertEquals("hello from the container\n", get("http://127.0.0.1:" + port + "/"));
            assertEquals("80/tcp -> 127.0.0.1:" + port + "\n", nvjrun("port", "web").out());
            assertEquals("127.0.0.1:" + port + "\n", nvjrun("port", "web", "80").out());
            assertTrue(nvjrun("ps").out().contains("127.0.0.1:" + port + "->80/tcp"), nvjrun("ps").out());
        } finally {
            assertEquals(0, nvjrun("rm", "-f", "web").status());
        }
        assertFalse(reachable(port), "the published port must be gone with the container");
    }

    private static String get(String url) throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        Exception last = null;
        for (int i = 0; i < 50; i++) {
            try {
                return client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
            } catch (IOException e) {
                last = e; // httpd may not listen yet
                Thread.sleep(50);
            }
        }
        throw last;
    }

    private static boolean reachable(int port) {
        try (java.net.Socket s = new java.net.Socket()) {
            s.connect(new java.net.InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void containersOnAUserNetworkReachEachOtherByName() throws IOException {
        assertEquals(0, nvjrun("network", "create", "peers").status());
        assertTrue(nvjrun("network", "ls").out().contains("peers"));
        Run server = nvjrun("run", "-d", "--name", "server", "--network", "peers", TestImage.NAME, "httpd", "-f", "-p", "80", "-h", "/www");
        assertEquals(0, server.status(), server.err());
        try {
            Run client = script(List.of("--network", "peers"),
                    "for i in 1 2 3 4 5 6 7 8 9 10; do wget -q -O - http://server/ && exit 0; sleep 0.2; done; exit 1");
            assertEquals(0, client.status(), client.out() + client.err());
            assertEquals("hello from the container\n", client.out());
            assertTrue(nvjrun("network", "inspect", "peers").out().contains("\"Name\" : \"server\""));
            Run busy = nvjrun("network", "rm", "peers");
            assertEquals(125, busy.status());
            assertTrue(busy.err().contains("in use"), busy.err());
        } finally {
            nvjrun("rm", "-f", "server");
        }
        assertEquals(0, nvjrun("network", "rm", "peers").status());
        assertFalse(nvjrun("network", "ls").out().contains("peers"));
    }

    @Test
    void containerModeSharesTheOtherContainersNetwork() throws IOException {
        Path share = Files.createTempDirectory(tmp, "owner");
        assertEquals(0, nvjrun("run", "-d", "--name", "owner", "-v", share + ":/out", TestImage.NAME, "sh", "-c",
                "readlink /proc/self/ns/net > /out/ns; exec sleep 60").status());
        try {
            String owners = awaitFile(share.resolve("ns"));
            Run joined = script(List.of("--network", "container:owner"), "readlink /proc/self/ns/net; ip -4 -o addr show eth0");
            assertEquals(0, joined.status(), joined.err());
            assertTrue(joined.out().startsWith(owners), owners + " vs " + joined.out());
            assertTrue(joined.out().contains("inet "), joined.out());
            String hostNet = readlink(Path.of("/proc/self/ns/net"));
            assertNotEquals(hostNet + "\n", owners);
        } finally {
            nvjrun("rm", "-f", "owner");
        }
    }

    private static String awaitFile(Path file) {
        try {
            for (int i = 0; i < 100 && (!Files.exists(file) || Files.size(file) == 0); i++) {
                Thread.sleep(20);
            }
            return Files.readString(file);
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String readlink(Path p) {
        try {
            return Files.readSymbolicLink(p).toString();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void dnsAndExtraHostsReachTheContainersEtcFiles() throws IOException {
        Run r = script(List.of("-h", "box", "--dns", "10.9.9.9", "--dns-search", "example.test", "--add-host", "db:10.1.2.3",
                "--add-host", "gw:host-gateway"), "cat /etc/resolv.conf /etc/hosts; hostname");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("nameserver 10.9.9.9"), r.out());
        assertTrue(r.out().contains("search example.test"), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.matches("10\\.1\\.2\\.3\\s+db")), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.matches("[0-9.]+\\s+gw")), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.matches("[0-9.]+\\s+box.*")), r.out());
        assertTrue(r.out().endsWith("box\n"), r.out());
    }

    @Test
    void twentyRunsWithPublishedPortsLeaveNoVethRuleNamespaceOrLease() throws Exception {
        Leftovers before = Leftovers.count();
        for (int i = 0; i < 20; i++) {
            Run r = nvjrun("run", "--rm", "-p", "127.0.0.1::80", "-p", "9" + i + "/udp", TestImage.NAME, "true");
            assertEquals(0, r.status(), r.err());
        }
        String id = nvjrun("run", "-d", "--rm", "-p", "127.0.0.1::80", TestImage.NAME, "sleep", "0.3").out().strip();
        assertEquals("0\n", nvjrun("wait", id).out());
        Run failed = nvjrun("run", "--rm", "-p", "127.0.0.1::80", TestImage.NAME, "no-such-command");
        assertEquals(127, failed.status(), failed.err());
        assertEquals(before, Leftovers.settledAt(before));
    }

    @Test
    void systemPruneReleasesTheNetworkOfASelfRemovedContainer() throws Exception {
        Leftovers before = Leftovers.count();
        String id = nvjrun("run", "-d", "--rm", "-p", "127.0.0.1::80", TestImage.NAME, "true").out().strip();
        for (int i = 0; i < 100 && nvjrun("ps", "-a", "-q", "--no-trunc").out().contains(id); i++) {
            Thread.sleep(20);
        }
        assertNotEquals(before, Leftovers.count(), "the self-removed container's namespace and rules wait for a prune");
        Run pruned = nvjrun("system", "prune", "-f");
        assertEquals(0, pruned.status(), pruned.err());
        assertTrue(pruned.out().contains("Released 1 network attachments"), pruned.out());
        assertEquals(before, Leftovers.settledAt(before));
    }

    @Test
    void badNetworkFlagsFailWith125InOneSentenceAndLeaveNothing() throws Exception {
        Leftovers before = Leftovers.count();
        List<List<String>> bad = List.of(List.of("--network", "no-such-net"), List.of("-p", "1:2:3:4"), List.of("-p", "80:99999"),
                List.of("-p", "300.0.0.1:80:80"), List.of("--dns", "not-an-address"), List.of("--add-host", "no-address"),
                List.of("--network", "container:missing"), List.of("--network", "host", "-p", "80"),
                List.of("--network", "none", "-P"), List.of("--network", "bad/name"));
        for (List<String> flags : bad) {
            List<String> args = new ArrayList<>(List.of("run", "--rm"));
            args.addAll(flags);
            args.addAll(List.of(TestImage.NAME, "true"));
            Run r = nvjrun(args.toArray(String[]::new));
            assertEquals(125, r.status(), flags + ": " + r.err());
            assertTrue(r.err().startsWith("nvjrun: ") && r.err().lines().count() <= 2, flags + ": " + r.err());
            assertFalse(r.err().contains("\tat "), r.err());
        }
        assertEquals(before, Leftovers.count());
        assertEquals("", nvjrun("ps", "-a", "-q").out());
    }

    /** What a container's network could leave on the host: veths, rules, namespace files and leases. */
    record Leftovers(long veths, long rules, List<String> namespaces, String leases) {
        /**
         * The count once it equals {@code expected}, or after 10 s: a removed container's veth pair goes with its
         * namespace, which the kernel cleans up asynchronously (ContainerNetworking.detachEndingNamespace).
         */
        static Leftovers settledAt(Leftovers expected) throws IOException, InterruptedException {
            Leftovers now = count();
            for (int i = 0; i < 200 && !now.equals(expected); i++) {
                Thread.sleep(50);
                now = count();
            }
            return now;
        }

        static Leftovers count() throws IOException, InterruptedException {
            long veths = command("ip", "-o", "link", "show", "type", "veth").lines().filter(l -> l.contains(": nvj")).count();
            long rules = command("iptables-save").lines().filter(l -> l.contains("nvjrun:")).count();
            List<String> namespaces;
            try (Stream<Path> files = Files.isDirectory(NetworkNames.NETNS_DIR) ? Files.list(NetworkNames.NETNS_DIR) : Stream.empty()) {
                namespaces = files.map(f -> f.getFileName().toString()).filter(n -> n.startsWith(names.netnsPrefix())).sorted().toList();
            }
            StringBuilder leases = new StringBuilder();
            Path dir = names.stateDir().resolve("leases");
            if (Files.isDirectory(dir)) {
                try (Stream<Path> files = Files.list(dir)) {
                    for (Path f : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                        leases.append(Files.readString(f).replaceAll("\\s", ""));
                    }
                }
            }
            return new Leftovers(veths, rules, namespaces, leases.toString());
        }

        private static String command(String... args) throws IOException, InterruptedException {
            Process p = new ProcessBuilder(args).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            p.waitFor();
            return out;
        }
    }
}
