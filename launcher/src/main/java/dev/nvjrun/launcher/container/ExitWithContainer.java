package dev.nvjrun.launcher.container;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * When SIGTERM or Ctrl-C ends the JVM of a foreground {@code run}, the runtime stops the container,
 * but the JVM would exit at once with 143 or 130 and skip the removal of a {@code --rm} container.
 * This shutdown hook waits until the command has finished (container gone, root file system
 * removed) and then ends the JVM with the container's own status, as {@code docker run} does.
 */
final class ExitWithContainer implements AutoCloseable {
    private final CompletableFuture<Integer> status = new CompletableFuture<>();
    private final Thread hook;

    ExitWithContainer(Duration longest, PrintWriter out, PrintWriter err) {
        this.hook = new Thread(() -> {
            try {
                int code = status.get(longest.toMillis(), TimeUnit.MILLISECONDS);
                out.flush();
                err.flush();
                Runtime.getRuntime().halt(code);
            } catch (TimeoutException | InterruptedException | ExecutionException e) {
                // the command is stuck: let the JVM end with the signal's status
            }
        }, "nvjrun-exit-with-container");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** The command's status, once everything it must undo is undone. */
    void finished(int code) {
        status.complete(code);
    }

    @Override
    public void close() {
        status.complete(125);
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs now and ends the JVM with the status given to finished
        }
    }
}
