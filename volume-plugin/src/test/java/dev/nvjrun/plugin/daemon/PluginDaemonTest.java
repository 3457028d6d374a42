package dev.nvjrun.plugin.daemon;

import dev.nvjrun.plugin.docker.UnixHttpClient;
import dev.nvjrun.plugin.docker.VolumePluginServer;
import dev.nvjrun.plugin.host.ElfLibraries;
import dev.nvjrun.plugin.host.InMemoryGpuHost;
import dev.nvjrun.plugin.host.VolumeFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PluginDaemonTest {

    @TempDir
    Path tmp;
    private final HttpClient client = HttpClient.newHttpClient();

    private PluginOptions options(String listen) {
        return new PluginOptions(listen, tmp.resolve("volumes"), tmp.resolve("plugins"), false);
    }

    @Test
    void servesBothApisAndRemovesTheSocketWhenStopped() throws Exception {
        PluginDaemon daemon = PluginDaemon.start(options("127.0.0.1:0"), new InMemoryGpuHost("535.104.05", 2, List.of()));
        try {
            assertEquals(200, get(daemon.port(), "/v1.0/docker/cli").statusCode());
            assertEquals(tmp.resolve("plugins/nvidia-docker.sock"), daemon.socketPath());
            assertTrue(Files.exists(daemon.socketPath()));
        } finally {
            daemon.close();
        }
        assertFalse(Files.exists(tmp.resolve("plugins/nvidia-docker.sock")));
        assertThrows(ConnectException.class, () -> get(daemon.port(), "/healthz"));
    }

    @Test
    void dockerCliNamesTheVolumeThatThePluginCreatesFromRealDriverFiles() throws Exception {
        List<VolumeFile> files = ElfLibraries.driverFiles(tmp.resolve("driver"));
        try (PluginDaemon daemon = PluginDaemon.start(options("localhost:0"), new InMemoryGpuHost("535.104.05", 2, files))) {
            String cli = get(daemon.port(), "/docker/cli?dev=1").body();
            String volume = cli.substring(cli.indexOf("--volume=") + 9, cli.indexOf(':', cli.indexOf("--volume=")));

            String created = UnixHttpClient.post(daemon.socketPath(), "/VolumeDriver.Create",
                    null, "{\"Name\":\"" + volume + "\"}").body();
            String mounted = UnixHttpClient.post(daemon.socketPath(), "/VolumeDriver.Mount",
                    null, "{\"Name\":\"" + volume + "\",\"ID\":\"c1\"}").body();

            assertEquals("{\"Err\":\"\"}", created);
            Path mountpoint = tmp.resolve("volumes/nvidia_driver/535.104.05");
            assertTrue(mounted.contains("\"Mountpoint\":\"" + mountpoint + "\""), mounted);
            assertEquals("libcuda.so.1", ElfLibraries.soname(mountpoint.resolve("lib64/libcuda.so")));
            assertTrue(cli.endsWith("--device=/dev/nvidia1"), cli);
        }
    }

    @Test
    void staticAnswersServedBeforeRoutingEqualTheRoutedOnes() throws Exception {
        String[] paths = {"/gpu/info", "/gpu/info/json", "/docker/cli", "/docker/cli/json", "/mesos/cli", "/v2/gpus", "/healthz"};
        try (PluginDaemon daemon = PluginDaemon.start(options("127.0.0.1:0"), new InMemoryGpuHost("535.104.05", 2, List.of()))) {
            for (String path : paths) {
                for (String prefix : new String[]{"", "/v1.0"}) {
                    HttpResponse<String> direct = get(daemon.port(), prefix + path);
                    // With a query the request goes through Javalin's routes.
                    HttpResponse<String> routed = get(daemon.port(), prefix + path + "?via=routes");
                    assertEquals(200, direct.statusCode(), path);
                    assertEquals(routed.body(), direct.body(), path);
                    assertEquals(routed.headers().firstValue("Content-Type"), direct.headers().firstValue("Content-Type"), path);
                    assertEquals(routed.headers().firstValue("Content-Length"), direct.headers().firstValue("Content-Length"), path);
                }
            }
            assertEquals(405, client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + daemon.port() + "/docker/cli"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString()).statusCode());
            assertEquals(4, daemon.api().metrics().count("/docker/cli", 200), "both ways are counted");
            assertTrue(get(daemon.port(), "/docker/cli?dev=1").body().endsWith("--device=/dev/nvidia1"));
        }
    }

    @Test
    void letsARequestInFlightFinishBeforeStopping() throws Exception {
        InMemoryGpuHost host = new InMemoryGpuHost("535.104.05", 1, List.of());
        host.statusGate = new CountDownLatch(1);
        PluginDaemon daemon = PluginDaemon.start(options("127.0.0.1:0"), host);
        CompletableFuture<HttpResponse<String>> slow = client.sendAsync(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + daemon.port() + "/gpu/status")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertTrue(host.statusEntered.await(10, TimeUnit.SECONDS));
        CompletableFuture<Void> stopping = CompletableFuture.runAsync(daemon::close);

        Thread.sleep(200);
        assertFalse(stopping.isDone(), "stop waits for the request in flight");
        host.statusGate.countDown();

        HttpResponse<String> response = slow.get(10, TimeUnit.SECONDS);
        assertEquals(200, response.statusCode());
        assertTrue(response.body().contains("Temperature"));
        stopping.get(10, TimeUnit.SECONDS);
        assertFalse(Files.exists(daemon.socketPath()));
    }

    @Test
    void explainsAPortInUseAndLeavesNoSocket() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            PluginException e = assertThrows(PluginException.class, () -> PluginDaemon.start(
                    options("127.0.0.1:" + taken.getLocalPort()), new InMemoryGpuHost("535.104.05", 1, List.of())));
            assertTrue(e.getMessage().startsWith("cannot listen on 127.0.0.1:" + taken.getLocalPort()), e.getMessage());
            assertTrue(e.getMessage().contains("--listen"), e.getMessage());
        }
        assertFalse(Files.exists(tmp.resolve("plugins/nvidia-docker.sock")));
    }

    @Test
    void explainsABadListenAddressBeforeTouchingAnything() {
        PluginException e = assertThrows(PluginException.class,
                () -> PluginDaemon.start(options("localhost"), new InMemoryGpuHost("535.104.05", 1, List.of())));
        assertTrue(e.getMessage().contains("expected HOST:PORT"), e.getMessage());
        assertFalse(Files.exists(tmp.resolve("plugins")));
    }

    @Test
    void explainsAnUnusableSocketDirectory() throws Exception {
        Path file = Files.writeString(tmp.resolve("plugins"), "a file where the directory should be");
        PluginException e = assertThrows(PluginException.class,
                () -> PluginDaemon.start(options("127.0.0.1:0"), new InMemoryGpuHost("535.104.05", 1, List.of())));
        assertTrue(e.getMessage().contains("--socket-dir"), e.getMessage());
        assertTrue(Files.isRegularFile(file));
    }

    @Test
    void exitsZeroOnSigtermAndSigintAfterRemovingTheSocket() throws Exception {
        for (String signal : new String[]{"TERM", "INT"}) {
            int port;
            try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = probe.getLocalPort();
            }
            Path socketDir = tmp.resolve("plugins-" + signal);
            Process daemon = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), DaemonMain.class.getName(),
                    "127.0.0.1:" + port, tmp.resolve("volumes").toString(), socketDir.toString())
                    .redirectErrorStream(true).redirectOutput(tmp.resolve("daemon-" + signal + ".log").toFile()).start();
            try {
                awaitHealthy(port, daemon);
                assertTrue(Files.exists(socketDir.resolve(VolumePluginServer.SOCKET_NAME)));

                new ProcessBuilder("kill", "-" + signal, String.valueOf(daemon.pid())).start().waitFor();

                assertTrue(daemon.waitFor(20, TimeUnit.SECONDS), "the daemon stops on SIG" + signal);
                assertEquals(0, daemon.exitValue(), Files.readString(tmp.resolve("daemon-" + signal + ".log")));
                assertFalse(Files.exists(socketDir.resolve(VolumePluginServer.SOCKET_NAME)));
            } finally {
                daemon.destroyForcibly();
            }
        }
    }

    private void awaitHealthy(int port, Process daemon) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline && daemon.isAlive()) {
            try {
                if (get(port, "/healthz").statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                Thread.sleep(50);
            }
        }
        throw new AssertionError("the daemon did not become healthy on port " + port);
    }

    private HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
