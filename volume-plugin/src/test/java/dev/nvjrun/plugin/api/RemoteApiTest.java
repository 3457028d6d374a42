package dev.nvjrun.plugin.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nvjrun.plugin.host.GpuStatus;
import dev.nvjrun.plugin.host.InMemoryGpuHost;
import io.javalin.Javalin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.Mockito;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.zip.Inflater;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RemoteApiTest {

    private static final String ALL_CLI = "--volume-driver=nvidia-docker --volume=nvidia_driver_535.104.05:/usr/local/nvidia:ro"
            + " --device=/dev/nvidiactl --device=/dev/nvidia-uvm --device=/dev/nvidia-uvm-tools"
            + " --device=/dev/nvidia0 --device=/dev/nvidia1 --device=/dev/nvidia2";
    private static final String CONTROL = "--volume-driver=nvidia-docker --volume=nvidia_driver_535.104.05:/usr/local/nvidia:ro"
            + " --device=/dev/nvidiactl --device=/dev/nvidia-uvm --device=/dev/nvidia-uvm-tools";

    private final HttpClient client = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();
    private InMemoryGpuHost host;
    private RemoteApi api;
    private Javalin app;

    @BeforeEach
    void start() throws Exception {
        host = new InMemoryGpuHost("535.104.05", 3, List.of());
        api = new RemoteApi(host, false);
        app = Javalin.create(RemoteApi::configure);
        api.register(app);
        app.start("127.0.0.1", 0);
    }

    @AfterEach
    void stop() {
        app.stop();
    }

    @Test
    void servesDockerCliForAllGpusUnderBothPrefixes() throws Exception {
        for (String prefix : new String[]{"", "/v1.0"}) {
            HttpResponse<String> response = get(prefix + "/docker/cli");
            assertEquals(200, response.statusCode());
            assertEquals(ALL_CLI, response.body());
            assertTrue(response.headers().firstValue("Content-Type").orElseThrow().startsWith("text/plain"));
        }
    }

    @Test
    void answersEveryEndpointUnderBothPrefixes() throws Exception {
        for (String path : new String[]{"/gpu/info", "/gpu/info/json", "/gpu/status", "/gpu/status/json", "/docker/cli",
                "/docker/cli/json", "/mesos/cli", "/v2/gpus", "/v2/gpus/0/status", "/v2/docker/args?gpus=all", "/metrics", "/healthz"}) {
            HttpResponse<String> plain = get(path);
            HttpResponse<String> versioned = get("/v1.0" + path);
            assertEquals(200, plain.statusCode(), path);
            assertEquals(200, versioned.statusCode(), "/v1.0" + path);
            if (!path.equals("/metrics")) {
                assertEquals(plain.body(), versioned.body(), path);
            }
        }
    }

    @Test
    void selectsGpusByIndexAndUuidPrefixWithEverySeparator() throws Exception {
        assertEquals(CONTROL + " --device=/dev/nvidia1", get("/docker/cli?dev=1").body());
        assertEquals(CONTROL + " --device=/dev/nvidia2 --device=/dev/nvidia0", get("/docker/cli?dev=2+0").body());
        assertEquals(CONTROL + " --device=/dev/nvidia0 --device=/dev/nvidia2", get("/docker/cli?dev=0%202").body());
        assertEquals(CONTROL + " --device=/dev/nvidia1 --device=/dev/nvidia2",
                get("/v1.0/docker/cli?dev=" + enc(InMemoryGpuHost.uuid(1).substring(0, 6)) + ",2").body());
        assertEquals(ALL_CLI, get("/docker/cli?dev=*").body());
        assertEquals(ALL_CLI, get("/docker/cli?dev=").body());
        assertEquals(ALL_CLI, get("/docker/cli?vol=nvidia_driver").body());
    }

    @Test
    void answersUnknownDevicesAndVolumesWith400() throws Exception {
        HttpResponse<String> device = get("/docker/cli?dev=7");
        assertEquals(400, device.statusCode());
        assertTrue(device.body().startsWith("unknown device '7' in dev='7': this host"), device.body());

        HttpResponse<String> volume = get("/docker/cli?vol=nvidia_cuda");
        assertEquals(400, volume.statusCode());
        assertTrue(volume.body().contains("unknown volume nvidia_cuda"), volume.body());

        HttpResponse<String> jsonError = get("/docker/cli/json?dev=GPU-zz");
        assertEquals(400, jsonError.statusCode());
        assertTrue(json.readTree(jsonError.body()).get("error").asText().contains("GPU-zz"));
    }

    @Test
    void servesDockerCliAsJson() throws Exception {
        JsonNode all = json.readTree(get("/v1.0/docker/cli/json").body());
        assertEquals("nvidia-docker", all.get("VolumeDriver").asText());
        assertEquals("nvidia_driver_535.104.05:/usr/local/nvidia:ro", all.get("Volumes").get(0).asText());
        assertEquals(6, all.get("Devices").size());

        JsonNode one = json.readTree(get("/docker/cli/json?dev=2").body());
        assertEquals(List.of("/dev/nvidiactl", "/dev/nvidia-uvm", "/dev/nvidia-uvm-tools", "/dev/nvidia2"),
                json.convertValue(one.get("Devices"), List.class));
    }

    @Test
    void servesInfoAndLiveStatus() throws Exception {
        assertEquals(host.infoText(), get("/gpu/info").body());
        HttpResponse<String> info = get("/v1.0/gpu/info/json");
        assertEquals("535.104.05", json.readTree(info.body()).get("Version").get("Driver").asText());
        assertEquals("application/json", info.headers().firstValue("Content-Type").orElseThrow());

        assertTrue(get("/gpu/status").body().contains("Temperature: 40 C"));
        host.setStatus(new GpuStatus(0, 99, 1, 1L, 16384L, 77, 100.0));
        assertTrue(get("/v1.0/gpu/status").body().contains("Temperature: 77 C"), "status is read per request");
        assertEquals(77, json.readTree(get("/gpu/status/json").body()).get("Devices").get(0).get("Temperature").asInt());
    }

    @Test
    void asksTheHostForStaticDataOnlyOnce() throws Exception {
        int atStart = host.staticCalls.get();
        for (String path : new String[]{"/docker/cli", "/docker/cli?dev=1", "/docker/cli/json", "/gpu/info",
                "/gpu/info/json", "/mesos/cli", "/v2/gpus", "/v2/docker/args?gpus=all"}) {
            assertEquals(200, get(path).statusCode(), path);
        }
        assertEquals(atStart, host.staticCalls.get());
    }

    @Test
    void servesMesosAttributesAsZlibBase64UrlWithoutPadding() throws Exception {
        String line = get("/mesos/cli").body();

        assertTrue(line.startsWith("--attributes=gpus:"), line);
        String attribute = line.substring("--attributes=gpus:".length(), line.indexOf(' '));
        assertTrue(attribute.matches("[A-Za-z0-9_-]+"), "base64url without padding: " + attribute);
        Inflater inflater = new Inflater();
        inflater.setInput(Base64.getUrlDecoder().decode(attribute));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        while (!inflater.finished()) {
            out.write(buffer, 0, inflater.inflate(buffer));
        }
        assertEquals(host.infoJson(), out.toString(StandardCharsets.UTF_8));
        assertTrue(line.endsWith(" --resources=gpus:{" + InMemoryGpuHost.uuid(0) + "," + InMemoryGpuHost.uuid(1) + ","
                + InMemoryGpuHost.uuid(2) + "}"), line);
    }

    @Test
    void servesGpusWithTopologyAndMig() throws Exception {
        JsonNode gpus = json.readTree(get("/v2/gpus").body());

        assertEquals(3, gpus.size());
        assertEquals(InMemoryGpuHost.uuid(1), gpus.get(1).get("uuid").asText());
        assertEquals("/dev/nvidia1", gpus.get(1).get("devicePath").asText());
        assertEquals("PCIe switch", gpus.get(0).get("topology").get(0).get("link").asText());
        assertEquals("1g.10gb", gpus.get(0).get("migDevices").get(0).get("profile").asText());
    }

    @Test
    void servesOneGpusStatusByIndexOrUuid() throws Exception {
        assertEquals(41, json.readTree(get("/v2/gpus/1/status").body()).get("temperatureCelsius").asInt());
        assertEquals(42, json.readTree(get("/v2/gpus/" + InMemoryGpuHost.uuid(2) + "/status").body()).get("temperatureCelsius").asInt());

        HttpResponse<String> missing = get("/v2/gpus/9/status");
        assertEquals(404, missing.statusCode());
        assertTrue(json.readTree(missing.body()).get("error").asText().startsWith("unknown device '9'"));
    }

    @Test
    void servesDockerArgsForGpusSyntax() throws Exception {
        JsonNode args = json.readTree(get("/v2/docker/args?gpus=" + enc("\"device=2,0\",capabilities=compute")).body());
        assertEquals(List.of("--volume-driver=nvidia-docker", "--volume=nvidia_driver_535.104.05:/usr/local/nvidia:ro",
                        "--device=/dev/nvidiactl", "--device=/dev/nvidia-uvm", "--device=/dev/nvidia-uvm-tools",
                        "--device=/dev/nvidia2", "--device=/dev/nvidia0"),
                json.convertValue(args, List.class));
        assertEquals(6, json.readTree(get("/v2/docker/args?gpus=1").body()).size());
        assertEquals(8, json.readTree(get("/v1.0/v2/docker/args?gpus=all").body()).size());

        // As nvjrun run --gpus: the shared parser lets a device list go on without quotes.
        assertEquals(get("/v2/docker/args?gpus=" + enc("\"device=0,2\"")).body(),
                get("/v2/docker/args?gpus=" + enc("device=0,2")).body());

        for (String bad : new String[]{"/v2/docker/args", "/v2/docker/args?gpus=4", "/v2/docker/args?gpus=" + enc("driver=amd"),
                "/v2/docker/args?gpus=" + enc("device=0,,2")}) {
            HttpResponse<String> response = get(bad);
            assertEquals(400, response.statusCode(), bad);
            assertTrue(json.readTree(response.body()).get("error").asText().length() > 20);
        }
    }

    @Test
    void exportsGpuGaugesAndRequestMetrics() throws Exception {
        get("/docker/cli");
        get("/docker/cli?dev=9");
        host.setStatus(new GpuStatus(1, 55, null, 2048L, 16384L, null, 123.5));

        HttpResponse<String> response = get("/metrics");
        String text = response.body();

        assertTrue(response.headers().firstValue("Content-Type").orElseThrow().startsWith("text/plain; version=0.0.4"));
        String gpu1 = "{gpu=\"1\",uuid=\"" + InMemoryGpuHost.uuid(1) + "\"}";
        assertTrue(text.contains("nvjrun_gpu_utilization_percent" + gpu1 + " 55\n"), text);
        assertTrue(text.contains("nvjrun_gpu_memory_used_bytes" + gpu1 + " " + 2048L * 1024 * 1024 + "\n"), text);
        assertTrue(text.contains("nvjrun_gpu_power_watts" + gpu1 + " 123.5\n"), text);
        assertTrue(!text.contains("nvjrun_gpu_temperature_celsius" + gpu1), "unreported values are left out");
        assertTrue(text.contains("nvjrun_gpu_temperature_celsius{gpu=\"0\""), text);
        assertTrue(text.contains("nvjrun_http_requests_total{path=\"/docker/cli\",code=\"200\"} 1\n"), text);
        assertTrue(text.contains("nvjrun_http_requests_total{path=\"/docker/cli\",code=\"400\"} 1\n"), text);
        assertTrue(text.contains("nvjrun_http_request_duration_seconds_count{path=\"/docker/cli\"} 2\n"), text);
        assertTrue(text.contains("nvjrun_http_request_duration_seconds_bucket{path=\"/docker/cli\",le=\"+Inf\"} 2\n"), text);
    }

    @Test
    void answersHealthz() throws Exception {
        HttpResponse<String> response = get("/healthz");
        assertEquals(200, response.statusCode());
        assertEquals("ok\n", response.body());
    }

    @Test
    void answersUnknownPathsWith404AndWrongMethodsWith405() throws Exception {
        HttpResponse<String> text = get("/docker/nope");
        assertEquals(404, text.statusCode());
        assertTrue(text.body().startsWith("no such endpoint /docker/nope"), text.body());

        HttpResponse<String> json404 = get("/v2/nope");
        assertEquals(404, json404.statusCode());
        assertTrue(json.readTree(json404.body()).get("error").asText().contains("/v2/nope"));

        HttpResponse<String> post = client.send(HttpRequest.newBuilder(uri("/docker/cli"))
                .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(405, post.statusCode());
        assertTrue(post.body().contains("use GET"), post.body());

        HttpResponse<String> delete = client.send(HttpRequest.newBuilder(uri("/v1.0/gpu/info/json")).DELETE().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(405, delete.statusCode());
        assertTrue(json.readTree(delete.body()).has("error"));
    }

    @Test
    void answersAFailingHostWith500AndAMessage() throws Exception {
        InMemoryGpuHost broken = Mockito.spy(new InMemoryGpuHost("535.104.05", 1, List.of()));
        Mockito.doThrow(new IllegalStateException("NVML_ERROR_GPU_IS_LOST")).when(broken).statusText();
        Javalin other = Javalin.create(RemoteApi::configure);
        new RemoteApi(broken, false).register(other);
        other.start("127.0.0.1", 0);
        try {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + other.port() + "/gpu/status")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(500, response.statusCode());
            assertTrue(response.body().contains("NVML_ERROR_GPU_IS_LOST"), response.body());
        } finally {
            other.stop();
        }
    }

    private HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + app.port() + path);
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
