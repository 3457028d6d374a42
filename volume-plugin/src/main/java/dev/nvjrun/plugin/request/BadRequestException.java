package dev.nvjrun.plugin.request;

/** A GPU or volume request that cannot be honoured; the message is one sentence for the user. */
public class BadRequestException extends Exception {

    public BadRequestException(String message) {
        super(message);
    }
}
