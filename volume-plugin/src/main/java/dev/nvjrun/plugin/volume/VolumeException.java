package dev.nvjrun.plugin.volume;

/** A volume could not be created, found or removed; the message is one sentence for the user. */
public class VolumeException extends Exception {

    public VolumeException(String message) {
        super(message);
    }

    public VolumeException(String message, Throwable cause) {
        super(message, cause);
    }
}
