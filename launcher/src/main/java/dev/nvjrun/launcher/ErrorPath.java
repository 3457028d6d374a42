package dev.nvjrun.launcher;

import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

import java.io.PrintWriter;
import java.util.function.BooleanSupplier;

/**
 * The one place that turns failures into what the user sees: {@code nvjrun: <sentence>} on
 * stderr and Docker's exit status 125 for nvjrun's own failures. Stack traces only with --debug.
 */
final class ErrorPath {
    /** Docker's status for "the runtime itself failed", as opposed to the container's own. */
    static final int OWN_FAILURE = 125;

    private final PrintWriter err;
    private final BooleanSupplier debug;

    ErrorPath(PrintWriter err, BooleanSupplier debug) {
        this.err = err;
        this.debug = debug;
    }

    int onBadUsage(ParameterException e, String[] args) {
        err.println("nvjrun: " + e.getMessage());
        err.println("See '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
        if (debug.getAsBoolean()) {
            e.printStackTrace(err);
        }
        err.flush();
        return OWN_FAILURE;
    }

    int onFailure(Exception e, CommandLine cli, ParseResult parsed) {
        err.println("nvjrun: " + sentence(e));
        if (debug.getAsBoolean()) {
            e.printStackTrace(err);
        }
        err.flush();
        return OWN_FAILURE;
    }

    /** Our exceptions carry a user-facing sentence; anything else is a bug, so say which. */
    private static String sentence(Throwable e) {
        String message = e.getMessage();
        if (message == null || message.isBlank()) {
            return "internal error (" + e.getClass().getSimpleName() + "); run with --debug for details";
        }
        return message;
    }
}
