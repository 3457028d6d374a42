package dev.nvjrun.runtime.network.host;

import dev.nvjrun.runtime.network.NetworkException;

/** A host command (ip, iptables, nsenter) that exited non-zero or could not be started. */
public final class CommandFailedException extends NetworkException {
    private final transient CommandResult result;

    CommandFailedException(CommandResult result) {
        super("host command `" + String.join(" ", result.command()) + "` failed with exit status "
                + result.exitStatus() + ": " + firstLine(result.stderr())
                + "; check that nvjrun runs as root and that iproute2, util-linux and iptables or nftables are installed");
        this.result = result;
    }

    CommandFailedException(String message, Throwable cause) {
        super(message, cause);
        this.result = null;
    }

    /** The failed command's outcome, or null when it never started. */
    public CommandResult result() {
        return result;
    }

    private static String firstLine(String stderr) {
        String trimmed = stderr.strip();
        if (trimmed.isEmpty()) {
            return "(no error output)";
        }
        int newline = trimmed.indexOf('\n');
        return newline < 0 ? trimmed : trimmed.substring(0, newline);
    }
}
