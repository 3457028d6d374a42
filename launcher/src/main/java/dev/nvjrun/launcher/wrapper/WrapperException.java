package dev.nvjrun.launcher.wrapper;

/** A wrapper-mode failure whose message is one sentence for the user. */
public final class WrapperException extends RuntimeException {
    public WrapperException(String message) {
        super(message);
    }

    public WrapperException(String message, Throwable cause) {
        super(message, cause);
    }
}
