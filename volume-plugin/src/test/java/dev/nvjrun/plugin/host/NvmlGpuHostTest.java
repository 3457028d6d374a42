package dev.nvjrun.plugin.host;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nvjrun.driver.HostRoots;
import dev.nvjrun.fakegpu.FakeGpu;
import dev.nvjrun.fakegpu.FakeGpuHost;
import dev.nvjrun.fakegpu.Failure;
import dev.nvjrun.fakegpu.HostSpec;
import dev.nvjrun.nvml.Nvml;
import dev.nvjrun.plugin.daemon.PluginDaemon;
import dev.nvjrun.plugin.daemon.PluginOptions;
import dev.nvjrun.plugin.docker.UnixHttpClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The real GpuHost over NVML and driver discovery, served by the real daemon, against a simulated 3-GPU host. */
class NvmlGpuHostTest {

    @TempDir
    static Path tmp;
    static FakeGpuHost fake;
    static NvmlGpuHost host;
    static PluginDaemon daemon;
    static String version;
    private final HttpClient client = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    @BeforeAll
    static void start() throws Exception {
        fake = FakeGpuHost.create(tmp.resolve("host"), HostSpec.defaults().withGpus(3));
        version = fake.spec().driverVersion();
        host = NvmlGpuHost.open(new HostRoots(fake.root(), fake.root(), fake.procRoot()), null, Map.of());
        daemon = PluginDaemon.start(new PluginOptions("127.0.0.1:0", tmp.resolve("volumes"), tmp.resolve("plugins"), false), host);
    }

    @AfterAll
    static void stop() {
        daemon.close();
        host.close();
    }

    @AfterEach
    void clearFailures() throws Exception {
        fake.clearFailures();
        reloadMock();
    }

    @Test
    void dockerCliListsEveryDeviceAndTheDriverVolume() throws Exception {
        HttpResponse<String> response = get("/docker/cli");

        assertEquals(200, response.statusCode());
        assertEquals("--volume-driver=nvidia-docker --volume=nvidia_driver_" + version + ":/usr/local/nvidia:ro"
                + device("nvidiactl") + device("nvidia-uvm") + device("nvidia-uvm-tools")
                + device("nvidia0") + device("nvidia1") + device("nvidia2"), response.body());
    }

    @Test
    void devSelectsOneGpuByIndexOrUuid() throws Exception {
        FakeGpu second = fake.gpus().get(1);
        for (String dev : new String[]{"1", second.uuid().substring(0, 12)}) {
            String cli = get("/docker/cli?dev=" + dev).body();
            assertTrue(cli.endsWith(device("nvidia-uvm-tools") + device("nvidia" + second.minor())), cli);
            assertFalse(cli.contains("/dev/nvidia0"), cli);
        }
    }

    @Test
    void devicesArePlainPathsWhenTheDeviceRootIsTheRealOne() throws Exception {
        try (NvmlGpuHost real = NvmlGpuHost.open(new HostRoots(fake.root(), Path.of("/"), fake.procRoot()), null, Map.of())) {
            assertEquals("/dev/nvidia0", real.dockerDevice("/dev/nvidia0"));
        }
        assertEquals(fake.root().resolve("dev/nvidia0") + ":/dev/nvidia0", host.dockerDevice("/dev/nvidia0"));
    }

    /** Docker's --device for a node of the simulated host: its file there, seen at /dev in the container. */
    private static String device(String name) {
        return " --device=" + fake.root().resolve("dev").resolve(name) + ":/dev/" + name;
    }

    @Test
    void infoJsonIsTheNvmlPageWithTheHostsGpus() throws Exception {
        JsonNode info = json.readTree(get("/v1.0/gpu/info/json").body());

        assertEquals(version, info.path("Version").path("Driver").asText());
        for (FakeGpu gpu : fake.gpus()) {
            assertEquals(gpu.uuid(), info.path("Devices").get(gpu.index()).path("UUID").asText());
            assertEquals(gpu.pciBusId(), info.path("Devices").get(gpu.index()).path("PCI").path("BusID").asText());
        }
        assertEquals(3, json.readTree(get("/v2/gpus").body()).size());
    }

    @Test
    void statusReadsLiveValues() throws Exception {
        int before = json.readTree(get("/gpu/status/json").body()).path("Devices").get(0).path("Temperature").asInt();
        int changed = before + 17;
        setTemperature(0, changed);

        JsonNode status = json.readTree(get("/gpu/status/json").body());
        JsonNode one = json.readTree(get("/v2/gpus/0/status").body());

        assertEquals(changed, status.path("Devices").get(0).path("Temperature").asInt());
        assertEquals(changed, one.path("temperatureCelsius").asInt());
        String page = get("/gpu/status").body();
        assertTrue(page.contains(changed + " °C"), page);
        setTemperature(0, before);
    }

    @Test
    void aLostGpuMakesStatusAnErrorNotACrash() throws Exception {
        fake.injectFailure(new Failure.GpuLost(1));
        reloadMock();

        HttpResponse<String> text = get("/gpu/status");
        HttpResponse<String> jsonStatus = get("/gpu/status/json");

        assertEquals(503, text.statusCode());
        assertTrue(text.body().startsWith("cannot read the GPU status: "), text.body());
        assertTrue(text.body().contains("GPU is lost"), text.body());
        assertEquals(503, jsonStatus.statusCode());
        assertTrue(json.readTree(jsonStatus.body()).path("error").asText().contains("GPU is lost"), jsonStatus.body());
        assertEquals(200, get("/v2/gpus/0/status").statusCode(), "the other GPUs still answer");
        assertEquals(503, get("/v2/gpus/1/status").statusCode());
        assertEquals(200, get("/docker/cli").statusCode(), "static answers do not ask NVML");
        assertEquals(200, get("/healthz").statusCode());
    }

    @Test
    void driverVolumeHoldsTheLibrariesAndBinariesOfNvidiaDocker() throws Exception {
        String name = "nvidia_driver_" + version;
        String created = UnixHttpClient.post(daemon.socketPath(), "/VolumeDriver.Create", null, "{\"Name\":\"" + name + "\"}").body();
        assertEquals("{\"Err\":\"\"}", created);
        Path volume = tmp.resolve("volumes/nvidia_driver").resolve(version);

        List<String> lib64 = names(volume.resolve("lib64"));
        List<String> lib = names(volume.resolve("lib"));
        List<String> bin = names(volume.resolve("bin"));
        assertTrue(lib64.containsAll(List.of("libcuda.so." + version, "libcuda.so.1", "libcuda.so",
                "libnvidia-ml.so." + version, "libnvidia-ml.so.1", "libnvcuvid.so." + version,
                "libGLX_nvidia.so." + version, "libGLX_indirect.so.0")), lib64.toString());
        assertTrue(lib.contains("libcuda.so." + version), "32-bit libraries go to lib: " + lib);
        assertTrue(bin.containsAll(List.of("nvidia-smi", "nvidia-cuda-mps-control")), bin.toString());
        assertFalse(bin.contains("nv-fabricmanager"), bin.toString());
        assertTrue(lib64.stream().noneMatch(n -> n.contains("mesa") || n.equals("libGL.so.1.7.0") || n.contains("470.")), lib64.toString());
        assertEquals(volume.resolve("lib64/libcuda.so." + version).toRealPath(),
                volume.resolve("lib64/libcuda.so.1").toRealPath());
    }

    @Test
    void controlDevicesComeFromTheDeviceRoot() {
        assertEquals(List.of("/dev/nvidiactl", "/dev/nvidia-uvm", "/dev/nvidia-uvm-tools"),
                host.controlDevices().stream().map(DeviceNode::path).toList());
        assertEquals(255, host.controlDevices().get(0).minor());
        assertEquals(List.of(0, 1, 2), host.gpus().stream().map(Gpu::minor).toList());
        assertNotEquals(0, host.gpus().get(0).memoryMiB());
    }

    private static List<String> names(Path dir) throws IOException {
        try (var entries = Files.list(dir)) {
            return entries.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private void setTemperature(int gpu, int celsius) throws Exception {
        ObjectNode description = (ObjectNode) json.readTree(fake.configFile().toFile());
        ((ObjectNode) description.path("gpus").get(gpu)).put("temperature", celsius);
        json.writeValue(fake.configFile().toFile(), description);
        reloadMock();
    }

    /**
     * The mock reads gpus.json at nvmlInit only; a second session's init makes the daemon's long-lived
     * session see the new values, as a real driver's values change on their own.
     */
    private static void reloadMock() {
        Nvml.open(fake.nvmlLibrary()).close();
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + daemon.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
