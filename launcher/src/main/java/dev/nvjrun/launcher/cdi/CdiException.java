package dev.nvjrun.launcher.cdi;

/** A CDI spec cannot be made, read or written; the message is one sentence for the user. */
public final class CdiException extends Exception {
    public CdiException(String message) {
        super(message);
    }

    public CdiException(String message, Throwable cause) {
        super(message, cause);
    }
}
