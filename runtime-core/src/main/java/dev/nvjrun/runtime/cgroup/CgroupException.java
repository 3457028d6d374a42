package dev.nvjrun.runtime.cgroup;

/** A cgroup could not be created, configured or removed; the message names the file and the fix. */
public class CgroupException extends RuntimeException {
    public CgroupException(String message, Throwable cause) {
        super(message, cause);
    }

    public CgroupException(String message) {
        super(message);
    }
}
