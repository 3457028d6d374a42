package dev.nvjrun.runtime.container;

/**
 * A container operation failed. The message is one sentence for the user; {@code exitCode} is what
 * the command line exits with (125 for nvjrun's own failures, 126/127 when the command cannot run).
 */
public class ContainerException extends RuntimeException {
    private final int exitCode;

    public ContainerException(String message, int exitCode) {
        super(message);
        this.exitCode = exitCode;
    }

    public ContainerException(String message, Throwable cause) {
        super(message, cause);
        this.exitCode = 125;
    }

    public int exitCode() {
        return exitCode;
    }
}
