package dev.nvjrun.runtime.snapshot;

/** A container root file system could not be prepared, mounted or removed. */
public class SnapshotException extends RuntimeException {
    public SnapshotException(String message) {
        super(message);
    }

    public SnapshotException(String message, Throwable cause) {
        super(message, cause);
    }
}
