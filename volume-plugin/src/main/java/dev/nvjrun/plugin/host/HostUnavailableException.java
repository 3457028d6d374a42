package dev.nvjrun.plugin.host;

/**
 * The host cannot answer right now (a GPU fell off the bus, the driver went away). Thrown by
 * {@link GpuHost}'s live methods; the REST API answers it with 503 and this message, never a crash.
 */
public class HostUnavailableException extends RuntimeException {

    public HostUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
