package dev.nvjrun.plugin.api;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.handler.HandlerWrapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.Map;

/**
 * Answers the GETs whose answer never changes ({@code /docker/cli} without a query, the info pages,
 * {@code /v2/gpus}, …) in Jetty, before Javalin's routing; everything else goes on to Javalin.
 *
 * <p>Why: under load, Javalin's per-request work (a context object, a regex match against every
 * route, lazy helpers) was most of the CPU time and allocation of {@code /docker/cli}, and
 * allocation is what drives the garbage collector and the resident memory of the daemon.
 */
final class StaticAnswers extends HandlerWrapper {

    private static final Logger log = LoggerFactory.getLogger(StaticAnswers.class);

    /**
     * One precomputed answer.
     *
     * @param label the metrics label, the route without the version prefix
     */
    record Answer(String label, String contentType, byte[] body) {
    }

    private final Map<String, Answer> byPath;
    private final RequestMetrics metrics;
    private final boolean verbose;

    StaticAnswers(Map<String, Answer> byPath, RequestMetrics metrics, boolean verbose) {
        this.byPath = Map.copyOf(byPath);
        this.metrics = metrics;
        this.verbose = verbose;
    }

    /** Places this handler innermost in {@code server}'s wrappers, where Javalin then attaches its own. */
    void insertInto(Server server) {
        Handler handler = server.getHandler();
        if (!(handler instanceof HandlerWrapper wrapper)) {
            server.setHandler(this);
            return;
        }
        while (wrapper.getHandler() instanceof HandlerWrapper inner) {
            wrapper = inner;
        }
        wrapper.setHandler(this);
    }

    @Override
    public void handle(String target, Request baseRequest, HttpServletRequest request, HttpServletResponse response)
            throws IOException, ServletException {
        Answer answer = "GET".equals(request.getMethod()) && request.getQueryString() == null ? byPath.get(target) : null;
        if (answer == null) {
            super.handle(target, baseRequest, request, response);
            return;
        }
        long start = System.nanoTime();
        baseRequest.setHandled(true);
        response.setStatus(200);
        response.setContentType(answer.contentType());
        response.setContentLength(answer.body().length);
        response.getOutputStream().write(answer.body());
        long nanos = System.nanoTime() - start;
        metrics.record(answer.label(), 200, nanos);
        if (verbose) {
            log.info("GET {} -> 200 in {} µs", request.getRequestURL(), nanos / 1000);
        }
    }
}
