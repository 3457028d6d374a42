package dev.nvjrun.launcher.plugin;

import dev.nvjrun.fakegpu.FakeGpuHost;
import dev.nvjrun.fakegpu.HostSpec;
import dev.nvjrun.launcher.CommandLineTest;
import dev.nvjrun.launcher.CommandLineTest.Run;
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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code nvjrun plugin} and {@code nvjrun-plugin} against a simulated 3-GPU host. */
class PluginCommandTest {

    @TempDir
    static Path tmp;
    static FakeGpuHost host;
    private final HttpClient client = HttpClient.newHttpClient();

    @BeforeAll
    static void createHost() throws Exception {
        host = FakeGpuHost.create(tmp.resolve("host"), HostSpec.defaults().withGpus(3));
    }

    private static Run plugin(String... args) {
        List<String> all = new ArrayList<>(List.of("--driver-root", host.root().toString(),
                "--dev-root", host.root().toString(), "--proc-root", host.procRoot().toString(), "plugin"));
        all.addAll(List.of(args));
        return CommandLineTest.run(all.toArray(String[]::new));
    }

    @Test
    void servesTheHostUntilSigtermThenExitsZeroAndRemovesTheSocket() throws Exception {
        int port = freePort();
        Path sockets = tmp.resolve("sockets");
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), PluginMain.class.getName(),
                "-l", "127.0.0.1:" + port, "-d", tmp.resolve("volumes").toString(), "-s", sockets.toString(), "-v");
        pb.environment().putAll(host.environment());
        Path log = tmp.resolve("plugin.log");
        Process daemon = pb.redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            String cli = awaitAnswer(port, "/docker/cli", daemon, log);
            String devices = host.root().resolve("dev").toString();
            assertEquals("--volume-driver=nvidia-docker --volume=nvidia_driver_" + host.spec().driverVersion()
                    + ":/usr/local/nvidia:ro --device=" + devices + "/nvidiactl:/dev/nvidiactl"
                    + " --device=" + devices + "/nvidia-uvm:/dev/nvidia-uvm --device=" + devices + "/nvidia-uvm-tools:/dev/nvidia-uvm-tools"
                    + " --device=" + devices + "/nvidia0:/dev/nvidia0 --device=" + devices + "/nvidia1:/dev/nvidia1"
                    + " --device=" + devices + "/nvidia2:/dev/nvidia2", cli);
            assertTrue(get(port, "/gpu/info").body().contains(host.gpus().get(2).uuid()));
            assertTrue(Files.exists(sockets.resolve("nvidia-docker.sock")));

            new ProcessBuilder("kill", "-TERM", String.valueOf(daemon.pid())).start().waitFor();

            assertTrue(daemon.waitFor(20, TimeUnit.SECONDS), "the plugin stops on SIGTERM");
            assertEquals(0, daemon.exitValue(), Files.readString(log));
            assertFalse(Files.exists(sockets.resolve("nvidia-docker.sock")));
            assertTrue(Files.readString(log).contains("GET http://127.0.0.1:" + port + "/docker/cli"), "-v logs requests");
        } finally {
            daemon.destroyForcibly();
        }
    }

    @Test
    void aBadListenAddressIsAnOwnFailureWithOneSentence() {
        Run r = plugin("-l", "localhost", "-s", tmp.resolve("bad-listen").toString(), "-d", tmp.resolve("v1").toString());
        assertEquals(125, r.status());
        assertTrue(r.err().startsWith("nvjrun: invalid listen address 'localhost': expected HOST:PORT"), r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
        assertFalse(Files.exists(tmp.resolve("bad-listen")), "nothing made");
    }

    @Test
    void aPortInUseIsAnOwnFailureAndLeavesNoSocket() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Run r = plugin("-l", "127.0.0.1:" + taken.getLocalPort(), "-s", tmp.resolve("busy").toString(),
                    "-d", tmp.resolve("v2").toString());
            assertEquals(125, r.status());
            assertTrue(r.err().startsWith("nvjrun: cannot listen on 127.0.0.1:" + taken.getLocalPort()), r.err());
        }
        assertFalse(Files.exists(tmp.resolve("busy/nvidia-docker.sock")));
    }

    @Test
    void aHostWithoutDriverIsAnOwnFailureNamingTheFix() throws Exception {
        Path empty = Files.createDirectories(tmp.resolve("no-driver/etc")).getParent();
        Run r = CommandLineTest.run("--driver-root", empty.toString(), "plugin", "-l", "127.0.0.1:0",
                "-s", tmp.resolve("none").toString(), "-d", tmp.resolve("v3").toString());
        assertEquals(125, r.status());
        assertTrue(r.err().startsWith("nvjrun: no NVIDIA driver found"), r.err());
        assertTrue(r.err().contains("--driver-root"), r.err());
        assertFalse(Files.exists(tmp.resolve("none")));
    }

    @Test
    void helpShowsNvidiaDockerPluginsFlags() {
        Run r = CommandLineTest.run("plugin", "--help");
        assertEquals(0, r.status(), r.err());
        for (String flag : new String[]{"-l, --listen", "-d, --volumes", "-s, --socket-dir", "-v"}) {
            assertTrue(r.out().contains(flag), r.out());
        }
        assertTrue(r.out().contains("localhost:3476"), r.out());
    }

    private String awaitAnswer(int port, String path, Process daemon, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline && daemon.isAlive()) {
            try {
                HttpResponse<String> response = get(port, path);
                if (response.statusCode() == 200) {
                    return response.body();
                }
            } catch (IOException e) {
                Thread.sleep(100);
            }
        }
        throw new AssertionError("the plugin did not answer on port " + port + ": " + Files.readString(log));
    }

    private HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }
}
