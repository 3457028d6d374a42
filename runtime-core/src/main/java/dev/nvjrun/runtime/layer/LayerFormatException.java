package dev.nvjrun.runtime.layer;

/** A layer archive is truncated, corrupt or of an unsupported kind. */
public final class LayerFormatException extends LayerException {
    public LayerFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
