package dev.nvjrun.runtime.network;

/**
 * A networking failure a user can act on. The message is one sentence naming the thing, the
 * reason and the fix; callers print it as is, without a stack trace.
 */
public class NetworkException extends RuntimeException {
    public NetworkException(String message) {
        super(message);
    }

    public NetworkException(String message, Throwable cause) {
        super(message, cause);
    }
}
