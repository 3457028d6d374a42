package dev.nvjrun.plugin.docker;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nvjrun.plugin.jetty.GracefulStop;
import io.javalin.Javalin;
import io.javalin.http.Context;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.unixdomain.server.UnixDomainServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.ConnectException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * Docker's volume plugin protocol on {@code <socket-dir>/nvidia-docker.sock}: HTTP POSTs of JSON,
 * answered with {@value #MEDIA_TYPE}. Every failure is an answer with {@code Err}, never a 500.
 */
public final class VolumePluginServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(VolumePluginServer.class);

    /** Docker finds the plugin named {@code nvidia-docker} by this socket name. */
    public static final String SOCKET_NAME = "nvidia-docker.sock";
    public static final String MEDIA_TYPE = "application/vnd.docker.plugins.v1+json";
    private static final Set<String> ACCEPTED_TYPES = Set.of("", "application/json", MEDIA_TYPE,
            "application/vnd.docker.plugins.v1.1+json", "application/vnd.docker.plugins.v1.2+json");
    /** The file type bits of a socket in st_mode. */
    private static final int S_IFSOCK = 0140000;
    private static final int S_IFMT = 0170000;

    private final VolumeDriverService service;
    private final Path socketPath;
    private final ObjectMapper json = new ObjectMapper();
    private Javalin app;

    /** A request body as Docker sends it; absent fields are null. */
    record PluginRequest(String name, String id) {
    }

    public VolumePluginServer(VolumeDriverService service, Path socketDir) {
        this.service = service;
        this.socketPath = socketDir.toAbsolutePath().normalize().resolve(SOCKET_NAME);
    }

    public Path socketPath() {
        return socketPath;
    }

    /**
     * Listens on the socket; replaces a stale socket left by a crashed plugin.
     *
     * @throws IOException with a sentence for the user when the socket cannot be served
     */
    public synchronized void start() throws IOException {
        prepareSocketDir();
        removeStaleSocket();
        Javalin javalin = Javalin.create(cfg -> {
            cfg.showJavalinBanner = false;
            cfg.startupWatcherEnabled = false;
            cfg.http.prefer405over404 = true;
            cfg.http.disableCompression();
            // The drain time is chosen by close(Duration); here only the handler a graceful stop needs.
            new GracefulStop(Duration.ZERO).configure(cfg);
            // Docker calls one at a time per container start; a handful of threads is plenty.
            QueuedThreadPool pool = new QueuedThreadPool(8, 2);
            pool.setName("nvjrun-plugin-docker");
            cfg.jetty.threadPool = pool;
            cfg.jetty.addConnector((server, httpConfig) -> {
                UnixDomainServerConnector connector = new UnixDomainServerConnector(server, new HttpConnectionFactory(httpConfig));
                connector.setUnixDomainPath(socketPath);
                return connector;
            });
        });
        javalin.post("/Plugin.Activate", ctx -> reply(ctx, service.activate()));
        javalin.post("/VolumeDriver.Capabilities", ctx -> reply(ctx, service.capabilities()));
        javalin.post("/VolumeDriver.List", ctx -> call(ctx, (svc, r) -> svc.list()));
        javalin.post("/VolumeDriver.Create", ctx -> call(ctx, (svc, r) -> svc.create(r.name())));
        javalin.post("/VolumeDriver.Remove", ctx -> call(ctx, (svc, r) -> svc.remove(r.name())));
        javalin.post("/VolumeDriver.Mount", ctx -> call(ctx, (svc, r) -> svc.mount(r.name(), r.id())));
        javalin.post("/VolumeDriver.Unmount", ctx -> call(ctx, (svc, r) -> svc.unmount(r.name(), r.id())));
        javalin.post("/VolumeDriver.Path", ctx -> call(ctx, (svc, r) -> svc.path(r.name())));
        javalin.post("/VolumeDriver.Get", ctx -> call(ctx, (svc, r) -> svc.get(r.name())));
        try {
            javalin.start();
        } catch (RuntimeException e) {
            javalin.stop();
            throw new IOException("cannot listen on " + socketPath + ": " + rootMessage(e)
                    + ". Check that the socket directory is writable (--socket-dir)", e);
        }
        app = javalin;
        log.info("Docker volume plugin listening on {}", socketPath);
    }

    /** Stops serving at once and removes the socket. */
    @Override
    public void close() {
        close(Duration.ZERO);
    }

    /** Lets calls in flight finish (at most {@code drain}), then stops serving and removes the socket. */
    public synchronized void close(Duration drain) {
        if (app != null) {
            new GracefulStop(drain).stop(app);
            app = null;
        }
        try {
            Files.deleteIfExists(socketPath);
        } catch (IOException e) {
            log.warn("cannot remove {}: {}", socketPath, e.getMessage());
        }
    }

    private void call(Context ctx, BiFunction<VolumeDriverService, PluginRequest, Map<String, Object>> operation) {
        String contentType = ctx.contentType() == null ? "" : ctx.contentType().split(";")[0].trim().toLowerCase(Locale.ROOT);
        if (!ACCEPTED_TYPES.contains(contentType)) {
            reply(ctx, VolumeDriverService.err("unsupported media type " + contentType
                    + ": send application/vnd.docker.plugins.v1.2+json"));
            return;
        }
        PluginRequest request;
        try {
            request = parse(ctx.bodyAsBytes());
        } catch (IllegalArgumentException e) {
            reply(ctx, VolumeDriverService.err(e.getMessage()));
            return;
        }
        Map<String, Object> response;
        try {
            response = operation.apply(service, request);
        } catch (RuntimeException e) {
            log.error("{} failed", ctx.path(), e);
            response = VolumeDriverService.err("internal error in " + ctx.path() + ": " + e.getMessage() + ". See the plugin's log");
        }
        log.debug("{} {} -> {}", ctx.path(), request, response);
        reply(ctx, response);
    }

    private PluginRequest parse(byte[] body) {
        if (body.length == 0 || new String(body, StandardCharsets.UTF_8).isBlank()) {
            return new PluginRequest(null, null);
        }
        JsonNode tree;
        try {
            tree = json.readTree(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("malformed request body: not JSON (" + e.getOriginalMessage() + ")");
        } catch (IOException e) {
            throw new IllegalArgumentException("malformed request body: " + e.getMessage());
        }
        if (tree == null || !tree.isObject()) {
            throw new IllegalArgumentException("malformed request body: expected a JSON object such as {\"Name\":\"nvidia_driver_535.104.05\"}");
        }
        return new PluginRequest(textField(tree, "Name"), textField(tree, "ID"));
    }

    private static String textField(JsonNode tree, String field) {
        JsonNode node = tree.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw new IllegalArgumentException("malformed request body: " + field + " must be a string");
        }
        return node.textValue();
    }

    private void reply(Context ctx, Map<String, Object> response) {
        try {
            ctx.status(200).contentType(MEDIA_TYPE).result(json.writeValueAsBytes(response));
        } catch (IOException e) {
            throw new IllegalStateException("cannot write a plugin response", e);
        }
    }

    private void prepareSocketDir() throws IOException {
        Path dir = socketPath.getParent();
        if (Files.isDirectory(dir)) {
            return;
        }
        try {
            Files.createDirectories(dir);
            // Docker keeps its plugin directory private; a socket that anyone can reach would hand out driver mounts.
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        } catch (IOException e) {
            throw new IOException("cannot create the plugin socket directory " + dir + ": " + e.getMessage()
                    + ". Run as root or choose another --socket-dir", e);
        }
    }

    private void removeStaleSocket() throws IOException {
        if (!Files.exists(socketPath, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        int mode = (Integer) Files.getAttribute(socketPath, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        if ((mode & S_IFMT) != S_IFSOCK) {
            throw new IOException(socketPath + " exists and is not a socket: remove it or choose another --socket-dir");
        }
        try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            probe.connect(UnixDomainSocketAddress.of(socketPath));
            throw new IOException("another plugin is already listening on " + socketPath
                    + ": stop it or choose another --socket-dir");
        } catch (ConnectException e) {
            log.info("removing stale socket {}", socketPath);
            Files.deleteIfExists(socketPath);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
