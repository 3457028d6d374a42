package dev.nvjrun.runtime.spec;

import java.nio.file.Path;

/**
 * The supervisor's json-file log (the helper's LOG record): the container's stdout and stderr go through
 * pipes to the supervisor, which appends Docker's JSON entries to {@code file}, rotates it once it holds
 * {@code maxSize} bytes (0: never) keeping {@code maxFiles} files, and with {@code tee} copies the output
 * to its own stdout and stderr as well (a container in the foreground).
 */
public record JsonLog(Path file, long maxSize, int maxFiles, boolean tee) {
    public JsonLog {
        if (maxSize < 0 || maxFiles < 1) {
            throw new IllegalArgumentException("log rotation needs a size of at least 0 and at least one file");
        }
    }
}
