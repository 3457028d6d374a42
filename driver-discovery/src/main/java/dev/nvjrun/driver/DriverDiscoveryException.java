package dev.nvjrun.driver;

/**
 * A problem with the host's NVIDIA driver that the user must fix; the message is one sentence
 * naming the thing, the reason and the fix, fit to print without a stack trace.
 */
public class DriverDiscoveryException extends Exception {

    public DriverDiscoveryException(String message) {
        super(message);
    }

    public DriverDiscoveryException(String message, Throwable cause) {
        super(message, cause);
    }
}
