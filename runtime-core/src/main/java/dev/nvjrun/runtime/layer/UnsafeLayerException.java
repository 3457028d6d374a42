package dev.nvjrun.runtime.layer;

/** A layer archive tried to reach outside its directory; nothing outside was touched. */
public final class UnsafeLayerException extends LayerException {
    public UnsafeLayerException(String message) {
        super(message, null);
    }
}
