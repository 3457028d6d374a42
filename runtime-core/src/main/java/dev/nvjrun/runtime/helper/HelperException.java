package dev.nvjrun.runtime.helper;

/** The native helper could not be started or waited for; the message is meant for users. */
public class HelperException extends RuntimeException {
    public HelperException(String message) {
        super(message);
    }
}
