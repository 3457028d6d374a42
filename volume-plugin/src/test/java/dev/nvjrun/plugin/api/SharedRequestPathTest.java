package dev.nvjrun.plugin.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nvjrun.driver.HostRoots;
import dev.nvjrun.driver.catalog.DriverCatalog;
import dev.nvjrun.driver.devices.NvidiaDevices;
import dev.nvjrun.driver.edits.DockerArguments;
import dev.nvjrun.driver.edits.DriverInjection;
import dev.nvjrun.driver.request.GpuRequest;
import dev.nvjrun.driver.request.GpuRequestException;
import dev.nvjrun.driver.request.HostDriver;
import dev.nvjrun.driver.request.HostGpu;
import dev.nvjrun.driver.request.HostGpus;
import dev.nvjrun.driver.request.P2pTopology;
import dev.nvjrun.driver.request.RequestResolver;
import dev.nvjrun.driver.request.RequestSources;
import dev.nvjrun.driver.request.ResolvedRequest;
import dev.nvjrun.fakegpu.FakeGpu;
import dev.nvjrun.fakegpu.FakeGpuHost;
import dev.nvjrun.fakegpu.HostSpec;
import dev.nvjrun.plugin.daemon.PluginDaemon;
import dev.nvjrun.plugin.daemon.PluginOptions;
import dev.nvjrun.plugin.host.NvmlGpuHost;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The plugin's device lists equal what driver-discovery's shared request → edits path gives for the
 * same request on the same simulated host ({@code nvjrun run --gpus X} and the wrapper take that path),
 * so {@code /docker/cli?dev=X} and {@code nvjrun run --gpus X} cannot disagree.
 */
class SharedRequestPathTest {

    @TempDir
    static Path tmp;
    static FakeGpuHost fake;
    static NvmlGpuHost host;
    static PluginDaemon daemon;
    static RequestResolver resolver;
    static DriverInjection injection;
    private final HttpClient client = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    @BeforeAll
    static void start() throws Exception {
        fake = FakeGpuHost.create(tmp.resolve("host"), HostSpec.defaults().withGpus(3));
        HostRoots roots = new HostRoots(fake.root(), fake.root(), fake.procRoot());
        host = NvmlGpuHost.open(roots, null, Map.of());
        daemon = PluginDaemon.start(new PluginOptions("127.0.0.1:0", tmp.resolve("volumes"), tmp.resolve("plugins"), false), host);
        // The facts as the launcher's NvmlHostFacts fills them, taken here from the simulated host's own description.
        List<HostGpu> gpus = new ArrayList<>();
        for (FakeGpu gpu : fake.gpus()) {
            gpus.add(new HostGpu(gpu.index(), gpu.uuid(), gpu.minor(), gpu.pciBusId(), "", "", "", List.of()));
        }
        String version = fake.spec().driverVersion();
        resolver = new RequestResolver(new HostGpus(new HostDriver(version, host.cudaVersion()), gpus), P2pTopology.unknown());
        injection = new DriverInjection(roots, new DriverCatalog(roots, Map.of()), new NvidiaDevices(roots), version);
    }

    @AfterAll
    static void stop() {
        daemon.close();
        host.close();
    }

    @Test
    void dockerCliDevicesEqualTheSharedEditsForEveryDevList() throws Exception {
        FakeGpu second = fake.gpus().get(1);
        FakeGpu third = fake.gpus().get(2);
        for (String dev : new String[]{null, "", "*", "0", "2+0", "1,2", "0 2", second.uuid().substring(0, 12),
                third.pciBusId(), second.uuid() + "+" + third.index()}) {
            List<String> expected = sharedDevices(resolver.resolve(GpuRequest.ofDeviceList(dev)));
            String query = dev == null ? "" : "?dev=" + enc(dev);

            HttpResponse<String> cli = get("/docker/cli" + query);
            assertEquals(200, cli.statusCode(), cli.body());
            assertEquals(expected, cliDevices(cli.body()), "dev=" + dev);
            JsonNode cliJson = json.readTree(get("/v1.0/docker/cli/json" + query).body());
            assertEquals(expected, json.convertValue(cliJson.get("Devices"), List.class), "json dev=" + dev);
        }
    }

    @Test
    void dockerArgsDevicesEqualTheSharedEditsForEveryGpusValue() throws Exception {
        FakeGpu third = fake.gpus().get(2);
        for (String gpus : new String[]{"all", "1", "2", "\"device=2,0\"", "device=1,capabilities=compute",
                "count=2,capabilities=compute,utility", "device=" + third.uuid(), "driver=nvidia,count=3"}) {
            List<String> expected = sharedDevices(resolver.resolve(RequestSources.ofGpusFlag(gpus), Map.of()));

            HttpResponse<String> args = get("/v2/docker/args?gpus=" + enc(gpus));
            assertEquals(200, args.statusCode(), args.body());
            List<String> devices = new ArrayList<>();
            for (JsonNode arg : json.readTree(args.body())) {
                if (arg.asText().startsWith("--device=")) {
                    devices.add(arg.asText().substring("--device=".length()));
                }
            }
            assertEquals(expected, devices, "gpus=" + gpus);
        }
    }

    @Test
    void refusesWhatTheSharedPathRefusesWithTheSameSentence() throws Exception {
        for (String dev : new String[]{"7", "GPU-ffff", "0:x"}) {
            GpuRequestException shared = assertThrows(GpuRequestException.class,
                    () -> resolver.resolve(GpuRequest.ofDeviceList(dev)));
            HttpResponse<String> cli = get("/docker/cli?dev=" + enc(dev));
            assertEquals(400, cli.statusCode());
            assertEquals(shared.getMessage() + "\n", cli.body());
        }
        GpuRequestException tooMany = assertThrows(GpuRequestException.class,
                () -> resolver.resolve(RequestSources.ofGpusFlag("4"), Map.of()));
        HttpResponse<String> args = get("/v2/docker/args?gpus=4");
        assertEquals(400, args.statusCode());
        assertEquals(tooMany.getMessage(), json.readTree(args.body()).get("error").asText());
    }

    @Test
    void simulatedHostDevicesNameTheirFileUnderTheDeviceRoot() throws Exception {
        List<String> devices = cliDevices(get("/docker/cli?dev=1").body());
        assertEquals(fake.root().resolve("dev/nvidia" + fake.gpus().get(1).minor()) + ":/dev/nvidia"
                + fake.gpus().get(1).minor(), devices.getLast());
        assertFalse(devices.stream().anyMatch(d -> d.startsWith("/dev/")), devices.toString());
        assertTrue(get("/docker/cli?dev=1").body().startsWith("--volume-driver=nvidia-docker --volume=nvidia_driver_"
                + fake.spec().driverVersion() + ":/usr/local/nvidia:ro --device="));
    }

    /** The shared edits' devices as Docker's --device values, mapped for the simulated host's device root. */
    private static List<String> sharedDevices(ResolvedRequest request) throws Exception {
        return DockerArguments.nvidiaDocker1(injection.edits(request), "nvidia-docker").devices().stream()
                .map(path -> fake.root().resolve(path.substring(1)) + ":" + path).toList();
    }

    private static List<String> cliDevices(String line) {
        return Arrays.stream(line.split(" ")).filter(a -> a.startsWith("--device="))
                .map(a -> a.substring("--device=".length())).toList();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + daemon.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
