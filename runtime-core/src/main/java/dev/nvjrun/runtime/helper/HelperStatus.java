package dev.nvjrun.runtime.helper;

/** What the helper reported on its status pipe before the container's command took over. */
public sealed interface HelperStatus {
    /** The command is executing as {@code containerPid} (a host pid). */
    record Started(int containerPid) implements HelperStatus {
    }

    /** The container could not start; {@code exitCode} is 125, 126 or 127 and {@code message} says why. */
    record Failed(int exitCode, String message) implements HelperStatus {
    }
}
