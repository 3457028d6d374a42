package dev.nvjrun.launcher.wrapper;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * GPU arguments from a remote nvidia-docker plugin (NV_HOST), as nvidia-docker 1.0 fetched them:
 * over HTTP, or through ssh to the remote host's loopback plugin.
 *
 * @param http the plugin's base address ({@code http://host:3476}), or null when ssh is used
 * @param ssh  the ssh command prefix ({@code ssh -p 22 user@host}) and the remote plugin port
 */
record RemoteGpuArguments(URI http, List<String> ssh, int remotePort) implements GpuArgumentSource {

    @Override
    public List<String> arguments(List<String> volumes, List<String> gpus, String imageCuda) throws Exception {
        JsonNode info = json("/v1.0/gpu/info/json");
        GpuArgumentSource.checkCuda(info.path("Version").path("CUDA").asText(""), imageCuda);
        String query = "?vol=" + encode(String.join("+", volumes)) + "&dev=" + encode(String.join("+", gpus));
        JsonNode cli = json("/v1.0/docker/cli/json" + query);
        List<String> args = new ArrayList<>();
        if (!cli.path("VolumeDriver").asText("").isEmpty() && cli.path("Volumes").size() > 0) {
            args.add("--volume-driver=" + cli.path("VolumeDriver").asText());
        }
        cli.path("Volumes").forEach(v -> args.add("--volume=" + v.asText()));
        cli.path("Devices").forEach(d -> args.add("--device=" + d.asText()));
        return args;
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private JsonNode json(String pathAndQuery) throws IOException, InterruptedException {
        String body = http != null ? overHttp(pathAndQuery) : overSsh(pathAndQuery);
        try {
            return new ObjectMapper().readTree(body);
        } catch (IOException e) {
            throw new WrapperException("the remote plugin answered " + pathAndQuery + " with something that is not JSON: "
                    + body.lines().findFirst().orElse("(empty)") + ". Check NV_HOST");
        }
    }

    private String overHttp(String pathAndQuery) throws IOException, InterruptedException {
        URI uri = http.resolve(pathAndQuery);
        try (HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()) {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new WrapperException("the remote plugin at " + http + " refused " + pathAndQuery + ": "
                        + r.statusCode() + " " + r.body().strip());
            }
            return r.body();
        } catch (java.net.ConnectException e) {
            throw new WrapperException("cannot reach the nvidia-docker plugin at " + http
                    + ": connection refused. Start `nvjrun plugin` there or fix NV_HOST", e);
        }
    }

    private String overSsh(String pathAndQuery) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(ssh);
        argv.addAll(List.of("curl", "-sf", "http://localhost:" + remotePort + pathAndQuery));
        Process p = new ProcessBuilder(argv).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new WrapperException("cannot fetch " + pathAndQuery + " from the plugin through `" + String.join(" ", ssh)
                    + "` (exit " + p.exitValue() + "). Check NV_HOST, ssh access and that the plugin runs there");
        }
        return out;
    }
}
