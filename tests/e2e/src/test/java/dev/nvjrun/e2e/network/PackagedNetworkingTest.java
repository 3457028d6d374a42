package dev.nvjrun.e2e.network;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.nvjrun.e2e.Distribution;
import dev.nvjrun.e2e.Distribution.Result;
import java.io.IOException;
import java.util.Map;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged nvjrun publishes a busybox httpd with {@code -p 127.0.0.1:PORT:80}; a GET from the host's
 * loopback answers, {@code nvjrun port} names the port, and {@code rm -f} takes the port away again.
 */
class PackagedNetworkingTest {
    @TempDir
    static Path tmp;
    static Path root;


    @BeforeAll
    static void importBusybox() throws Exception {
        if (!Files.isExecutable(Path.of("/bin/busybox"))) {
            throw new IllegalStateException("these tests need /bin/busybox; apt-get install busybox-static");
        }
        root = tmp.resolve("state");
        Path rootfs = tmp.resolve("rootfs");
        Result r = sh("set -e; mkdir -p " + rootfs + "/bin " + rootfs + "/etc " + rootfs + "/www; cp /bin/busybox " + rootfs + "/bin/; "
                + "for a in sh httpd sleep; do ln -s busybox " + rootfs + "/bin/$a; done; "
                + "echo 'hello e2e' > " + rootfs + "/www/index.html; echo root:x:0:0:root:/root:/bin/sh > " + rootfs + "/etc/passwd; "
                + "tar -C " + rootfs + " -cf " + tmp.resolve("netbox.tar") + " . && nvjrun import " + tmp.resolve("netbox.tar") + " e2e/netbox");
        assertEquals(0, r.status(), r.err());
    }

    @AfterAll
    static void cleanUp() throws Exception {
        sh(Distribution.CLEAN_ROOT);
    }

    static Result sh(String script) throws IOException, InterruptedException {
        return Distribution.installed().sh(script, Map.of("NVJRUN_ROOT", root.toString()));
    }

    @Test
    void publishedHttpdAnswersOnTheHostsLoopbackUntilRemoved() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Result started = sh("nvjrun run -d --name web -p 127.0.0.1:" + port + ":80 e2e/netbox httpd -f -p 80 -h /www");
        assertEquals(0, started.status(), started.err());
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        String body = null;
        for (int i = 0; i < 50 && body == null; i++) {
            try {
                body = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        assertEquals("hello e2e\n", body);
        assertEquals("80/tcp -> 127.0.0.1:" + port + "\n", sh("nvjrun port web").out());
        assertTrue(sh("nvjrun ps").out().contains("127.0.0.1:" + port + "->80/tcp"));
        assertEquals(0, sh("nvjrun rm -f web").status());
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            assertFalse(true, "port " + port + " still answers after rm -f");
        } catch (IOException expected) {
            // nothing listens and no rule forwards any more
        }
    }

    @Test
    void aSigkilledCliLeavesNothingOnceTheContainerIsRemoved() throws Exception {
        String before = leftovers();
        Result r = sh("nvjrun run --name orphan -p 127.0.0.1::80 e2e/netbox sh -c 'sleep 30' > /dev/null 2>&1 & cli=$!; "
                + "for i in $(seq 100); do nvjrun port orphan 2>/dev/null | grep -q 80/tcp && break; sleep 0.1; done; "
                + "kill -9 $cli; wait $cli; nvjrun port orphan");
        assertTrue(r.out().startsWith("80/tcp -> 127.0.0.1:"), r.out() + r.err());
        assertEquals(0, sh("nvjrun rm -f orphan").status());
        assertEquals(before, leftoversSettledAt(before));
    }

    @Test
    void aDetachedRmContainerReleasesItsNetworkWhenItExitsWithoutAnybodyWaiting() throws Exception {
        Result started = sh("nvjrun run -d --rm -p 127.0.0.1::80 e2e/netbox sleep 3");
        assertEquals(0, started.status(), started.err());
        String id = started.out().strip();
        // What this container holds on the host (other engineers' containers come and go meanwhile: look at its own).
        String record = Files.readString(root.resolve("network/attachments").resolve(id + ".json"));
        String netns = jsonField(record, "netnsPath");
        String veth = jsonField(record, "hostEnd");
        String held = "ip link show " + veth + " >/dev/null 2>&1 && echo veth; [ -e " + netns + " ] && echo netns; "
                + "iptables-save | grep -q 'nvjrun:" + id + "' && echo rules; cat " + root.resolve("network/leases") + "/*.json | grep -q " + id
                + " && echo lease; [ -e " + root.resolve("network/attachments").resolve(id + ".json") + " ] && echo record; true";
        assertEquals("veth\nnetns\nrules\nlease\nrecord\n", sh(held).out(), "while it runs");
        Path state = root.resolve("containers").resolve(id);
        // The supervisor's exit command removes the state last; poll (bounded) for that, then look at the host.
        for (int i = 0; i < 300 && Files.exists(state); i++) {
            Thread.sleep(50);
        }
        assertFalse(Files.exists(state), "the container's state is still there 15 s after it exited");
        String left = sh(held).out();
        for (int i = 0; i < 200 && !left.isEmpty(); i++) { // the veth pair goes with the namespace, asynchronously
            Thread.sleep(50);
            left = sh(held).out();
        }
        assertEquals("", left, "no veth, namespace file, rule, lease or attachment record is left");
        // Nobody waited above (wait releases what it finds gone); wait itself still gives such a container's status.
        Result waited = sh("id=$(nvjrun run -d --rm e2e/netbox sh -c 'sleep 2; exit 3') && nvjrun wait $id");
        assertEquals("3\n", waited.out(), waited.err());
    }

    private static String jsonField(String json, String name) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"" + name + "\"\\s*:\\s*\"([^\"]+)\"").matcher(json);
        assertTrue(m.find(), name + " in " + json);
        return m.group(1);
    }

    /**
     * {@link #leftovers()} once it equals {@code expected}, or after 10 s: a removed container's veth pair goes
     * with its namespace, which the kernel cleans up asynchronously.
     */
    private static String leftoversSettledAt(String expected) throws Exception {
        String now = leftovers();
        for (int i = 0; i < 200 && !now.equals(expected); i++) {
            Thread.sleep(50);
            now = leftovers();
        }
        return now;
    }

    /** veths on the host, rules owned by containers, namespace files: what a container's network could leave. */
    private static String leftovers() throws Exception {
        return sh("ip -o link show type veth | grep -c ': nvj'; iptables-save | grep -c 'nvjrun:'; ls /run/netns 2>/dev/null | sort").out();
    }

    @Test
    void badPublishFlagExits125WithOneSentence() throws Exception {
        Result r = sh("nvjrun run --rm -p 1:2:3:4 e2e/netbox true");
        assertEquals(125, r.status());
        assertTrue(r.err().startsWith("nvjrun: ") && r.err().strip().lines().count() <= 2, r.err());
    }
}
