package dev.nvjrun.plugin.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nvjrun.driver.DriverDiscoveryException;
import dev.nvjrun.driver.request.GpuRequestException;
import dev.nvjrun.plugin.host.Gpu;
import dev.nvjrun.plugin.host.GpuHost;
import dev.nvjrun.plugin.host.HostUnavailableException;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The nvidia-docker-plugin compatible REST API (every path under {@code /v1.0} and unversioned)
 * plus the JSON endpoints for schedulers. Everything that cannot change while the daemon runs is
 * computed here once; only the status endpoints ask the host per request.
 */
public final class RemoteApi {

    private static final Logger log = LoggerFactory.getLogger(RemoteApi.class);
    private static final String TEXT = "text/plain; charset=utf-8";
    private static final String JSON = "application/json";
    private static final String PROMETHEUS = "text/plain; version=0.0.4; charset=utf-8";
    private static final String VERSION_PREFIX = "/v1.0";

    private enum Kind { TEXT, JSON }

    @FunctionalInterface
    private interface Endpoint {
        void answer(Context ctx) throws Exception;
    }

    private final GpuHost host;
    private final boolean verbose;
    private final ObjectMapper json = new ObjectMapper();
    private final RequestMetrics metrics = new RequestMetrics();
    private final List<Gpu> gpus;
    private final GpuArguments arguments;
    // Static answers are kept as the bytes that go on the wire: no per-request encoding.
    private final byte[] infoTextBytes;
    private final byte[] infoJsonBytes;
    private final byte[] everythingCli;
    private final byte[] everythingCliJson;
    private final byte[] mesosCli;
    private final byte[] gpusJson;
    private static final byte[] OK = "ok\n".getBytes(StandardCharsets.UTF_8);

    /**
     * Asks {@code host} for everything static, once.
     *
     * @throws DriverDiscoveryException when the host's driver files or device nodes are unusable
     */
    public RemoteApi(GpuHost host, boolean verbose) throws DriverDiscoveryException {
        this.host = host;
        this.verbose = verbose;
        this.gpus = List.copyOf(host.gpus());
        this.arguments = new GpuArguments(host, host.driverVersion(), gpus);
        String infoJson = host.infoJson();
        this.infoTextBytes = host.infoText().getBytes(StandardCharsets.UTF_8);
        this.infoJsonBytes = infoJson.getBytes(StandardCharsets.UTF_8);
        this.everythingCli = arguments.everything().cliLine().getBytes(StandardCharsets.UTF_8);
        this.everythingCliJson = toJson(arguments.everything());
        this.mesosCli = MesosArguments.line(infoJson, arguments.allUuids()).getBytes(StandardCharsets.UTF_8);
        this.gpusJson = toJson(gpus);
    }

    public RequestMetrics metrics() {
        return metrics;
    }

    /**
     * Lets Jetty answer the paths whose answer never changes before Javalin routes anything (see
     * {@link StaticAnswers}); call from {@code Javalin.create} after any handler wrappers are set
     * ({@link dev.nvjrun.plugin.jetty.GracefulStop#configure}). The routes of {@link #register} stay
     * as they are for every other request: with a query, another method, a trailing slash.
     */
    public void answerStaticPathsFirst(JavalinConfig cfg) {
        Map<String, StaticAnswers.Answer> answers = new HashMap<>();
        addStatic(answers, "/gpu/info", TEXT, infoTextBytes);
        addStatic(answers, "/gpu/info/json", JSON, infoJsonBytes);
        addStatic(answers, "/docker/cli", TEXT, everythingCli);
        addStatic(answers, "/docker/cli/json", JSON, everythingCliJson);
        addStatic(answers, "/mesos/cli", TEXT, mesosCli);
        addStatic(answers, "/v2/gpus", JSON, gpusJson);
        addStatic(answers, "/healthz", TEXT, OK);
        StaticAnswers handler = new StaticAnswers(answers, metrics, verbose);
        cfg.jetty.modifyServer(handler::insertInto);
    }

    private static void addStatic(Map<String, StaticAnswers.Answer> answers, String path, String type, byte[] body) {
        StaticAnswers.Answer answer = new StaticAnswers.Answer(path, type, body);
        answers.put(path, answer);
        answers.put(VERSION_PREFIX + path, answer);
    }

    /**
     * The Javalin settings this API needs; call from {@code Javalin.create}. A daemon adds
     * {@link dev.nvjrun.plugin.jetty.GracefulStop} so that stopping lets answers in flight finish.
     */
    public static void configure(JavalinConfig cfg) {
        cfg.showJavalinBanner = false;
        cfg.startupWatcherEnabled = false;
        cfg.http.prefer405over404 = true;
        cfg.http.generateEtags = false;
        cfg.http.disableCompression();
    }

    /** Adds the routes and error answers to {@code app}. */
    public void register(Javalin app) {
        route(app, "/gpu/info", Kind.TEXT, ctx -> textBytes(ctx, infoTextBytes));
        route(app, "/gpu/info/json", Kind.JSON, ctx -> jsonBytes(ctx, infoJsonBytes));
        route(app, "/gpu/status", Kind.TEXT, ctx -> text(ctx, host.statusText()));
        route(app, "/gpu/status/json", Kind.JSON, ctx -> jsonText(ctx, host.statusJson()));
        route(app, "/docker/cli", Kind.TEXT, ctx -> {
            String dev = ctx.queryParam("dev");
            String vol = ctx.queryParam("vol");
            if (dev == null && vol == null) {
                textBytes(ctx, everythingCli);
            } else {
                text(ctx, arguments.forLists(dev, vol).cliLine());
            }
        });
        route(app, "/docker/cli/json", Kind.JSON, ctx -> {
            String dev = ctx.queryParam("dev");
            String vol = ctx.queryParam("vol");
            jsonBytes(ctx, dev == null && vol == null ? everythingCliJson : toJson(arguments.forLists(dev, vol)));
        });
        route(app, "/mesos/cli", Kind.TEXT, ctx -> textBytes(ctx, mesosCli));
        route(app, "/v2/gpus", Kind.JSON, ctx -> jsonBytes(ctx, gpusJson));
        route(app, "/v2/gpus/{id}/status", Kind.JSON, ctx -> {
            int index;
            try {
                index = arguments.gpuIndex(ctx.pathParam("id"));
            } catch (GpuRequestException e) {
                throw new ApiException(404, e.getMessage());
            }
            jsonBytes(ctx, toJson(host.status(index)));
        });
        route(app, "/v2/docker/args", Kind.JSON, ctx -> {
            String gpusParam = ctx.queryParam("gpus");
            if (gpusParam == null) {
                throw new ApiException(400, "missing query parameter gpus: pass Docker's --gpus value, for example ?gpus=all");
            }
            jsonBytes(ctx, toJson(arguments.forGpusFlag(gpusParam).argumentList()));
        });
        route(app, "/metrics", Kind.TEXT, ctx -> send(ctx, PROMETHEUS, metrics.render(host, gpus).getBytes(StandardCharsets.UTF_8)));
        route(app, "/healthz", Kind.TEXT, ctx -> textBytes(ctx, OK));

        app.exception(HttpResponseException.class, (e, ctx) -> {
            // Only reached for paths and methods no route matches.
            String message = e.getStatus() == 405
                    ? "method " + ctx.method() + " is not allowed on " + ctx.path() + ": use GET"
                    : "no such endpoint " + ctx.path() + ": see GET /v1.0/gpu/info, /docker/cli, /v2/gpus";
            error(ctx, e.getStatus(), message, wantsJson(ctx) ? Kind.JSON : Kind.TEXT);
            metrics.record("unmatched", e.getStatus(), 0);
        });
    }

    private void route(Javalin app, String path, Kind kind, Endpoint endpoint) {
        io.javalin.http.Handler handler = ctx -> answer(ctx, path, kind, endpoint);
        app.get(path, handler);
        app.get(VERSION_PREFIX + path, handler);
    }

    private void answer(Context ctx, String label, Kind kind, Endpoint endpoint) {
        long start = System.nanoTime();
        try {
            endpoint.answer(ctx);
        } catch (ApiException e) {
            error(ctx, e.status(), e.getMessage(), kind);
        } catch (GpuRequestException e) {
            error(ctx, 400, e.getMessage(), kind);
        } catch (DriverDiscoveryException e) {
            // The request was fine; the host's driver files or device nodes are not (a node removed, say).
            log.warn("{}: {}", ctx.path(), e.getMessage());
            error(ctx, 503, e.getMessage(), kind);
        } catch (UncheckedIOException e) {
            // The client went away mid-answer; there is no one left to tell.
            log.debug("{}: cannot send the answer: {}", ctx.path(), e.getMessage());
        } catch (HostUnavailableException e) {
            log.warn("{}: {}", ctx.path(), e.getMessage());
            error(ctx, 503, e.getMessage(), kind);
        } catch (Exception | Error e) {
            log.error("{} failed", ctx.path(), e);
            error(ctx, 500, "internal error answering " + ctx.path() + ": " + e.getMessage()
                    + ". See the plugin's log", kind);
        } finally {
            long nanos = System.nanoTime() - start;
            metrics.record(label, ctx.statusCode(), nanos);
            if (verbose) {
                log.info("{} {} -> {} in {} µs", ctx.method(), ctx.fullUrl(), ctx.statusCode(), nanos / 1000);
            }
        }
    }

    private void error(Context ctx, int status, String message, Kind kind) {
        ctx.status(status);
        if (kind == Kind.JSON) {
            send(ctx, JSON, toJson(Map.of("error", message)));
        } else {
            send(ctx, TEXT, (message + "\n").getBytes(StandardCharsets.UTF_8));
        }
    }

    private static boolean wantsJson(Context ctx) {
        String path = ctx.path();
        String accept = ctx.header("Accept");
        return path.endsWith("/json") || path.startsWith("/v2/") || path.startsWith(VERSION_PREFIX + "/v2/")
                || (accept != null && accept.startsWith(JSON));
    }

    private static void text(Context ctx, String body) {
        send(ctx, TEXT, body.getBytes(StandardCharsets.UTF_8));
    }

    private static void textBytes(Context ctx, byte[] body) {
        send(ctx, TEXT, body);
    }

    private static void jsonText(Context ctx, String body) {
        send(ctx, JSON, body.getBytes(StandardCharsets.UTF_8));
    }

    private static void jsonBytes(Context ctx, byte[] body) {
        send(ctx, JSON, body);
    }

    /**
     * Writes the body straight to the servlet response. Javalin's {@code ctx.result(...)} copies
     * through a fresh buffer of the response's size per request, which was nine tenths of all
     * allocation under load and a young collection every few milliseconds.
     */
    private static void send(Context ctx, String contentType, byte[] body) {
        HttpServletResponse response = ctx.res();
        response.setContentType(contentType);
        response.setContentLength(body.length);
        try {
            response.getOutputStream().write(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private byte[] toJson(Object value) {
        try {
            return json.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON for " + value.getClass().getSimpleName(), e);
        }
    }
}
