package dev.nvjrun.runtime.image.reference;

/** An image reference that Docker would not accept either; the message says which part and why. */
public final class InvalidReferenceException extends IllegalArgumentException {
    public InvalidReferenceException(String message) {
        super(message);
    }
}
