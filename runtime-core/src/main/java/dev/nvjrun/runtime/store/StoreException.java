package dev.nvjrun.runtime.store;

/** A store operation failed; the message names the thing, the reason and what to do. */
public class StoreException extends RuntimeException {
    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
