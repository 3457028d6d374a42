package dev.nvjrun.runtime.container;

import dev.nvjrun.runtime.spec.Terminal;

import java.nio.file.Path;

/**
 * Where a container's streams go: null paths keep the caller's (the terminal of `nvjrun run`); with a
 * terminal ({@code -t}) the process talks to a pty that the helper copies to and from these streams.
 */
public record Stdio(Path stdin, Path stdout, Path stderr, Terminal terminal) {
    public static final Stdio INHERIT = new Stdio(null, null, null, null);

    public Stdio(Path stdin, Path stdout, Path stderr) {
        this(stdin, stdout, stderr, null);
    }
}
