package dev.nvjrun.plugin.daemon;

import dev.nvjrun.driver.DriverDiscoveryException;
import dev.nvjrun.plugin.api.RemoteApi;
import dev.nvjrun.plugin.docker.VolumeDriverService;
import dev.nvjrun.plugin.docker.VolumePluginServer;
import dev.nvjrun.plugin.host.GpuHost;
import dev.nvjrun.plugin.host.VolumeFile;
import dev.nvjrun.plugin.jetty.GracefulStop;
import dev.nvjrun.plugin.volume.DriverVolume;
import dev.nvjrun.plugin.volume.VolumeStore;
import io.javalin.Javalin;
import org.eclipse.jetty.io.ArrayByteBufferPool;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The plugin daemon: the REST API on TCP and the Docker volume plugin on a unix socket, both
 * served from one {@link GpuHost}. {@code nvjrun plugin} (the launcher's {@code PluginCommand}) loads
 * the UVM module, opens {@link dev.nvjrun.plugin.host.NvmlGpuHost} on the selected host and calls
 * {@link #run(PluginOptions, GpuHost)}.
 */
public final class PluginDaemon implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PluginDaemon.class);
    /** How long a stop waits for requests in flight before closing their connections. */
    static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(10);
    private static final GracefulStop GRACEFUL = new GracefulStop(DRAIN_TIMEOUT);
    /** Jetty's acceptor and selectors take some of these; the rest answer requests. */
    private static final int HTTP_THREADS = 6;
    private static final int OUTPUT_BUFFER_BYTES = 8 * 1024;
    /** The most each of Jetty's buffer pools (heap, direct) keeps for reuse. */
    private static final long POOL_BYTES = 4L << 20;

    private final RemoteApi api;
    private final Javalin http;
    private final VolumePluginServer volumePlugin;
    private final int port;
    private boolean stopped;

    private PluginDaemon(RemoteApi api, Javalin http, VolumePluginServer volumePlugin) {
        this.api = api;
        this.http = http;
        this.volumePlugin = volumePlugin;
        this.port = http.port();
    }

    /**
     * Starts both servers and returns at once.
     *
     * @throws PluginException when an option is invalid or a server cannot listen; nothing is left running
     */
    public static PluginDaemon start(PluginOptions options, GpuHost host) throws PluginException {
        ListenAddress listen = ListenAddress.parse(options.listen());
        if (!listen.isLoopback()) {
            log.warn("the REST API listens on {}, which other machines can reach: anyone there can read GPU details;"
                    + " use --listen localhost:{} unless that is what you want", options.listen(), listen.port());
        }
        RemoteApi api;
        try {
            api = new RemoteApi(host, options.verbose());
        } catch (DriverDiscoveryException e) {
            throw new PluginException(e.getMessage(), e);
        }
        String driverVersion = host.driverVersion();
        VolumeStore store = new VolumeStore(options.volumes());
        // Discovering driver files reads ld.so.cache and ELF headers: once, not per Docker call.
        Map<String, List<VolumeFile>> driverFiles = new HashMap<>();
        DriverVolume.ALL.forEach(v -> driverFiles.put(v.name(), List.copyOf(host.driverFiles(v.name()))));
        VolumeDriverService service = new VolumeDriverService(store, driverVersion, name -> driverFiles.getOrDefault(name, List.of()));
        VolumePluginServer volumePlugin = new VolumePluginServer(service, options.socketDir());
        try {
            volumePlugin.start();
        } catch (IOException e) {
            volumePlugin.close();
            throw new PluginException(e.getMessage(), e);
        }
        Javalin http = Javalin.create(cfg -> {
            RemoteApi.configure(cfg);
            GRACEFUL.configure(cfg);
            api.answerStaticPathsFirst(cfg);
            // Answers are precomputed bytes: an acceptor, a selector and four workers keep two cores
            // busy. More threads only queue for the CPUs (p99 under wrk went from ~30 ms with 16 to
            // ~6-9 ms with 6), and Jetty's default of 200 costs stacks and malloc arenas.
            cfg.jetty.threadPool = threadPool("nvjrun-plugin-http", HTTP_THREADS);
            // Bounded memory per connection: Jetty's per-connection header cache (a trie of about
            // 35 KB) let a thousand keep-alive clients pin 100 MB; responses are a few KB, larger ones
            // flush in parts; the buffer pools keep at most POOL_BYTES each.
            cfg.jetty.modifyHttpConfiguration(httpConfig -> {
                httpConfig.setHeaderCacheSize(0);
                httpConfig.setOutputBufferSize(OUTPUT_BUFFER_BYTES);
            });
            cfg.jetty.modifyServer(server -> server.addBean(new ArrayByteBufferPool(0, 1024, 64 * 1024, -1,
                    POOL_BYTES, POOL_BYTES, POOL_BYTES, POOL_BYTES)));
        });
        api.register(http);
        try {
            http.start(listen.host(), listen.port());
        } catch (RuntimeException e) {
            http.stop();
            volumePlugin.close();
            throw new PluginException("cannot listen on " + options.listen() + ": " + rootMessage(e)
                    + ". Stop whatever holds the port or choose another with --listen", e);
        }
        log.info("nvjrun plugin serving driver {} on {} and {}", driverVersion, options.listen(), volumePlugin.socketPath());
        return new PluginDaemon(api, http, volumePlugin);
    }

    /**
     * Starts, serves until SIGTERM or SIGINT, drains and stops. Returns the exit status: 0.
     *
     * @throws PluginException when the daemon cannot start
     */
    public static int run(PluginOptions options, GpuHost host) throws PluginException {
        // Trap first: a signal that arrives while starting must still stop cleanly.
        try (SignalTrap trap = SignalTrap.install(); PluginDaemon daemon = start(options, host)) {
            trap.await();
            log.info("stopping: draining requests in flight");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    /** The REST API's TCP port (useful when listening on port 0). */
    public int port() {
        return port;
    }

    /** The Docker volume plugin's socket. */
    public Path socketPath() {
        return volumePlugin.socketPath();
    }

    public RemoteApi api() {
        return api;
    }

    /** Lets requests in flight finish, then stops both servers and removes the socket. */
    @Override
    public synchronized void close() {
        if (stopped) {
            return;
        }
        stopped = true;
        GRACEFUL.stop(http);
        volumePlugin.close(DRAIN_TIMEOUT);
        log.info("stopped");
    }

    private static QueuedThreadPool threadPool(String name, int max) {
        QueuedThreadPool pool = new QueuedThreadPool(max, 4);
        pool.setName(name);
        return pool;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
