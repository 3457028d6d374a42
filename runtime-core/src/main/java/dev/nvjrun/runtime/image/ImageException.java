package dev.nvjrun.runtime.image;

/** An image operation failed; the message names the image, the reason and the fix. */
public class ImageException extends RuntimeException {
    public ImageException(String message) {
        super(message);
    }

    public ImageException(String message, Throwable cause) {
        super(message, cause);
    }
}
