package dev.nvjrun.launcher.container;

import java.io.PrintWriter;
import java.util.List;
import java.util.function.Consumer;

/**
 * Docker's way with commands over several containers: each is tried, each success prints the
 * reference as given, each failure prints one line; the status is 1 when any failed. With a single
 * container the failure propagates, so it keeps its own exit code (125).
 */
record EachContainer(List<String> refs, PrintWriter out, PrintWriter err) {

    int apply(Consumer<String> action) {
        int failures = 0;
        for (String ref : refs) {
            try {
                action.accept(ref);
                out.println(ref);
            } catch (RuntimeException e) {
                if (refs.size() == 1) {
                    throw e;
                }
                err.println("nvjrun: " + e.getMessage());
                failures++;
            }
        }
        err.flush();
        return failures == 0 ? 0 : 1;
    }
}
