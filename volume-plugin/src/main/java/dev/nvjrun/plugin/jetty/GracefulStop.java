package dev.nvjrun.plugin.jetty;

import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.handler.StatisticsHandler;

import java.time.Duration;
import java.util.Objects;

/**
 * A stop that drains: Jetty stops accepting, waits (at most {@code timeout}) until every request
 * has been answered and every connection has closed, and only then closes what is left.
 *
 * <p>Counting requests in our own handlers is not enough: a handler returns before Jetty has
 * written its response, so a stop that trusts such a counter can close the connection under an
 * answer still in the buffer (the client then sees a reset, or a refused retry). Jetty's graceful
 * stop waits on its connectors' endpoints, which close only after the last byte went out.
 *
 * @param timeout how long {@link #stop(Javalin)} waits for requests in flight
 */
public record GracefulStop(Duration timeout) {

    public GracefulStop {
        Objects.requireNonNull(timeout, "timeout");
    }

    /** Adds the request-counting handler that graceful stops wait on; call from {@code Javalin.create}. */
    public void configure(JavalinConfig cfg) {
        // Javalin attaches its servlet handler inside a wrapper that is already there.
        cfg.jetty.modifyServer(server -> server.setHandler(new StatisticsHandler()));
    }

    /**
     * Stops {@code app}, letting answers in flight finish. The timeout is set only here: Javalin
     * stops a server that failed to start, and a graceful stop of a half-started server throws.
     */
    public void stop(Javalin app) {
        Server server = app.jettyServer().server();
        if (server != null) {
            server.setStopTimeout(timeout.toMillis());
        }
        app.stop();
    }
}
