package dev.nvjrun.plugin.daemon;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The daemon's settings, named after nvidia-docker-plugin's flags.
 *
 * @param listen    {@code -l/--listen}: {@code host:port} of the REST API
 * @param volumes   {@code -d/--volumes}: where driver volumes live
 * @param socketDir {@code -s/--socket-dir}: where Docker looks for plugin sockets
 * @param verbose   {@code -v}: log every request
 */
public record PluginOptions(String listen, Path volumes, Path socketDir, boolean verbose) {

    public static final String DEFAULT_LISTEN = "localhost:3476";
    public static final Path DEFAULT_VOLUMES = Path.of("/var/lib/nvidia-docker/volumes");
    public static final Path DEFAULT_SOCKET_DIR = Path.of("/run/docker/plugins");

    public PluginOptions {
        Objects.requireNonNull(listen, "listen");
        Objects.requireNonNull(volumes, "volumes");
        Objects.requireNonNull(socketDir, "socketDir");
    }

    /** nvidia-docker-plugin's defaults. */
    public static PluginOptions defaults() {
        return new PluginOptions(DEFAULT_LISTEN, DEFAULT_VOLUMES, DEFAULT_SOCKET_DIR, false);
    }
}
