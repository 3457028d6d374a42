package dev.nvjrun.plugin.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nvjrun.plugin.host.ElfLibraries;
import dev.nvjrun.plugin.host.VolumeFile;
import dev.nvjrun.plugin.volume.DriverVolume;
import dev.nvjrun.plugin.volume.VolumeStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VolumePluginServerTest {

    private static final String NAME = "nvidia_driver_535.104.05";
    private static final String V12 = "application/vnd.docker.plugins.v1.2+json";

    @TempDir
    static Path driverRoot;
    private static List<VolumeFile> files;

    @TempDir
    Path tmp;
    private Path volumes;
    private VolumeDriverService service;
    private VolumePluginServer server;
    private final ObjectMapper json = new ObjectMapper();

    @BeforeAll
    static void buildDriver() throws Exception {
        files = ElfLibraries.driverFiles(driverRoot.resolve("lib"));
    }

    @BeforeEach
    void start() throws IOException {
        volumes = tmp.resolve("volumes");
        service = new VolumeDriverService(new VolumeStore(volumes), "535.104.05", name -> files);
        server = new VolumePluginServer(service, tmp.resolve("plugins"));
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void activatesAsAVolumeDriverInDockersMediaType() throws Exception {
        UnixHttpClient.Response response = UnixHttpClient.post(server.socketPath(), "/Plugin.Activate", null, "");

        assertEquals(200, response.status());
        assertEquals(VolumePluginServer.MEDIA_TYPE, response.headers().get("content-type"));
        assertEquals("VolumeDriver", json.readTree(response.body()).get("Implements").get(0).asText());
        assertEquals(tmp.resolve("plugins/nvidia-docker.sock"), server.socketPath());
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(tmp.resolve("plugins"))));
    }

    @Test
    void reportsLocalScope() throws Exception {
        JsonNode caps = call("/VolumeDriver.Capabilities", "{}");
        assertEquals("local", caps.get("Capabilities").get("Scope").asText());
    }

    @Test
    void createsTheDriverVolumeOnDisk() throws Exception {
        JsonNode created = call("/VolumeDriver.Create", "{\"Name\":\"" + NAME + "\",\"Opts\":{}}");

        assertEquals("", created.get("Err").asText());
        assertTrue(Files.isSymbolicLink(volumes.resolve("nvidia_driver/535.104.05/lib64/libcuda.so.1")));
        assertEquals(volumes.resolve("nvidia_driver/535.104.05").toString(),
                call("/VolumeDriver.Path", "{\"Name\":\"" + NAME + "\"}").get("Mountpoint").asText());
        JsonNode got = call("/VolumeDriver.Get", "{\"Name\":\"" + NAME + "\"}");
        assertEquals(NAME, got.get("Volume").get("Name").asText());
        assertEquals(volumes.resolve("nvidia_driver/535.104.05").toString(), got.get("Volume").get("Mountpoint").asText());
    }

    @Test
    void refusesToCreateAnotherDriversVolume() throws Exception {
        String err = call("/VolumeDriver.Create", "{\"Name\":\"nvidia_driver_470.82.01\"}").get("Err").asText();

        assertTrue(err.contains("invalid volume version") && err.contains("use " + NAME), err);
        assertFalse(Files.exists(volumes.resolve("nvidia_driver/470.82.01")));
    }

    @Test
    void answersBadNamesWithErrAndNeverTouchesPathsOutside() throws Exception {
        String[] bad = {"nvidia_driver", "nvidia_driver_", "nvidia_cuda_535.104.05", "../../etc_1.0", "nvidia_driver_..",
                "nvidia_driver_.", "", "nvidia_driver_1..2"};
        for (String name : bad) {
            for (String call : new String[]{"Create", "Remove", "Mount", "Unmount", "Path", "Get"}) {
                UnixHttpClient.Response response = UnixHttpClient.post(server.socketPath(), "/VolumeDriver." + call, V12,
                        "{\"Name\":\"" + name + "\",\"ID\":\"c1\"}");
                assertEquals(200, response.status(), call + " " + name);
                String err = json.readTree(response.body()).get("Err").asText();
                boolean harmless = call.equals("Unmount") && name.matches(".*_[0-9.]+") && name.startsWith("nvidia_driver_");
                assertTrue(harmless || err.length() > 10, call + " " + name + " gave '" + err + "'");
                assertFalse(json.readTree(response.body()).has("Mountpoint") && !json.readTree(response.body()).get("Mountpoint").asText().isEmpty(),
                        call + " " + name + " returned a path");
            }
        }
        assertFalse(Files.exists(tmp.resolve("volumes/nvidia_driver")) && Files.list(tmp.resolve("volumes/nvidia_driver")).findAny().isPresent());
        assertEquals(List.of("plugins"), Files.list(tmp).map(p -> p.getFileName().toString()).filter(n -> !n.equals("volumes")).toList());
    }

    @Test
    void countsMountsPerCallerAndRefusesToRemoveAMountedVolume() throws Exception {
        call("/VolumeDriver.Create", "{\"Name\":\"" + NAME + "\"}");
        assertEquals(volumes.resolve("nvidia_driver/535.104.05").toString(),
                call("/VolumeDriver.Mount", "{\"Name\":\"" + NAME + "\",\"ID\":\"a\"}").get("Mountpoint").asText());
        call("/VolumeDriver.Mount", "{\"Name\":\"" + NAME + "\",\"ID\":\"a\"}");
        call("/VolumeDriver.Mount", "{\"Name\":\"" + NAME + "\",\"ID\":\"b\"}");
        assertEquals(2, service.mountCount(NAME, "a"));

        String refused = call("/VolumeDriver.Remove", "{\"Name\":\"" + NAME + "\"}").get("Err").asText();
        assertTrue(refused.contains("in use by 2"), refused);

        call("/VolumeDriver.Unmount", "{\"Name\":\"" + NAME + "\",\"ID\":\"a\"}");
        call("/VolumeDriver.Unmount", "{\"Name\":\"" + NAME + "\",\"ID\":\"b\"}");
        assertTrue(call("/VolumeDriver.Remove", "{\"Name\":\"" + NAME + "\"}").get("Err").asText().contains("in use by 1"));
        call("/VolumeDriver.Unmount", "{\"Name\":\"" + NAME + "\",\"ID\":\"a\"}");

        assertEquals("", call("/VolumeDriver.Remove", "{\"Name\":\"" + NAME + "\"}").get("Err").asText());
        assertFalse(Files.exists(volumes.resolve("nvidia_driver/535.104.05")));
        assertTrue(call("/VolumeDriver.Get", "{\"Name\":\"" + NAME + "\"}").get("Err").asText().startsWith("no such volume"));
    }

    @Test
    void mountRebuildsTheCurrentVolumeButNotAnOldOne() throws Exception {
        JsonNode current = call("/VolumeDriver.Mount", "{\"Name\":\"" + NAME + "\",\"ID\":\"x\"}");
        assertEquals(volumes.resolve("nvidia_driver/535.104.05").toString(), current.get("Mountpoint").asText());

        String err = call("/VolumeDriver.Mount", "{\"Name\":\"nvidia_driver_470.82.01\",\"ID\":\"x\"}").get("Err").asText();
        assertTrue(err.startsWith("no such volume"), err);
    }

    @Test
    void listsEveryVersionOnDisk() throws Exception {
        new VolumeStore(volumes).create(DriverVolume.NVIDIA_DRIVER, "470.82.01", files);
        call("/VolumeDriver.Create", "{\"Name\":\"" + NAME + "\"}");

        JsonNode list = call("/VolumeDriver.List", "{}");

        assertEquals(2, list.get("Volumes").size());
        assertEquals("nvidia_driver_470.82.01", list.get("Volumes").get(0).get("Name").asText());
        assertEquals(volumes.resolve("nvidia_driver/535.104.05").toString(), list.get("Volumes").get(1).get("Mountpoint").asText());
        assertEquals("nvidia_driver_470.82.01", call("/VolumeDriver.Get", "{\"Name\":\"nvidia_driver_470.82.01\"}")
                .get("Volume").get("Name").asText());
    }

    @Test
    void answersMalformedBodiesWithErr() throws Exception {
        for (String body : new String[]{"{", "[1]", "\"text\"", "{\"Name\":42}", "{\"Name\":{\"a\":1}}", "{\"Name\":\"x\",\"ID\":[]}", "\u0000"}) {
            UnixHttpClient.Response response = UnixHttpClient.post(server.socketPath(), "/VolumeDriver.Create", V12, body);
            assertEquals(200, response.status(), body);
            assertTrue(json.readTree(response.body()).get("Err").asText().startsWith("malformed request body"), response.body());
        }
        assertTrue(call("/VolumeDriver.Create", "{}").get("Err").asText().startsWith("missing volume name"));
    }

    @Test
    void acceptsEveryPluginMediaTypeAndRefusesOthers() throws Exception {
        for (String type : new String[]{"application/vnd.docker.plugins.v1+json", "application/vnd.docker.plugins.v1.1+json",
                V12 + "; charset=utf-8", "application/json"}) {
            UnixHttpClient.Response response = UnixHttpClient.post(server.socketPath(), "/VolumeDriver.List", type, "{}");
            assertEquals("", json.readTree(response.body()).get("Err").asText(), type);
        }
        UnixHttpClient.Response xml = UnixHttpClient.post(server.socketPath(), "/VolumeDriver.List", "application/xml", "<x/>");
        assertTrue(json.readTree(xml.body()).get("Err").asText().startsWith("unsupported media type application/xml"));
    }

    @Test
    void answersUnknownCallsWith404() throws Exception {
        assertEquals(404, UnixHttpClient.post(server.socketPath(), "/VolumeDriver.Explode", V12, "{}").status());
    }

    @Test
    void replacesAStaleSocketAndRemovesItOnClose() throws Exception {
        server.close();
        assertFalse(Files.exists(server.socketPath()), "close removes the socket");
        try (ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            dead.bind(UnixDomainSocketAddress.of(server.socketPath()));
        }
        assertTrue(Files.exists(server.socketPath()), "a crashed plugin leaves its socket behind");

        server.start();

        assertEquals(200, UnixHttpClient.post(server.socketPath(), "/Plugin.Activate", null, "").status());
    }

    @Test
    void refusesASocketPathThatIsInUseOrNotASocket() throws Exception {
        VolumePluginServer second = new VolumePluginServer(service, tmp.resolve("plugins"));
        IOException busy = assertThrows(IOException.class, second::start);
        assertTrue(busy.getMessage().contains("already listening"), busy.getMessage());
        assertEquals(200, UnixHttpClient.post(server.socketPath(), "/Plugin.Activate", null, "").status(), "the first keeps serving");

        Path dir = Files.createDirectories(tmp.resolve("other"));
        Files.writeString(dir.resolve("nvidia-docker.sock"), "not a socket");
        IOException notSocket = assertThrows(IOException.class, () -> new VolumePluginServer(service, dir).start());
        assertTrue(notSocket.getMessage().contains("is not a socket"), notSocket.getMessage());
        assertEquals("not a socket", Files.readString(dir.resolve("nvidia-docker.sock")));
    }

    @Test
    void letsACallInFlightFinishBeforeStopping() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch gate = new CountDownLatch(1);
        server.close();
        service = new VolumeDriverService(new VolumeStore(volumes), "535.104.05", name -> {
            entered.countDown();
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return files;
        });
        server = new VolumePluginServer(service, tmp.resolve("plugins"));
        server.start();
        CompletableFuture<UnixHttpClient.Response> create = CompletableFuture.supplyAsync(() -> {
            try {
                return UnixHttpClient.post(server.socketPath(), "/VolumeDriver.Create", V12, "{\"Name\":\"" + NAME + "\"}");
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        assertTrue(entered.await(10, TimeUnit.SECONDS));
        CompletableFuture<Void> stopping = CompletableFuture.runAsync(() -> server.close(Duration.ofSeconds(10)));

        Thread.sleep(200);
        assertFalse(stopping.isDone(), "close waits for the call in flight");
        gate.countDown();

        UnixHttpClient.Response response = create.get(10, TimeUnit.SECONDS);
        assertEquals(200, response.status());
        assertEquals("", json.readTree(response.body()).path("Err").asText());
        stopping.get(10, TimeUnit.SECONDS);
        assertFalse(Files.exists(server.socketPath()));
    }

    private JsonNode call(String path, String body) throws IOException {
        UnixHttpClient.Response response = UnixHttpClient.post(server.socketPath(), path, V12, body);
        assertEquals(200, response.status(), path + " " + response.body());
        assertEquals(VolumePluginServer.MEDIA_TYPE, response.headers().get("content-type"));
        return json.readTree(response.body());
    }
}
