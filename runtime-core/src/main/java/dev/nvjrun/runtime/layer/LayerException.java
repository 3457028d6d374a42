package dev.nvjrun.runtime.layer;

/** A layer could not be unpacked; the message names the entry, the reason and what to do. */
public sealed class LayerException extends RuntimeException permits UnsafeLayerException, LayerFormatException {
    public LayerException(String message, Throwable cause) {
        super(message, cause);
    }
}
