package dev.nvjrun.launcher.container;

import dev.nvjrun.runtime.helper.LibC;
import dev.nvjrun.runtime.spec.Terminal;

/**
 * {@code -i} and {@code -t} of a foreground {@code run} or an {@code exec}, read as Docker reads them:
 * {@code -t} gives the process a pty sized after the caller's terminal; with {@code -i} the pty's
 * input is the caller's terminal, put in raw mode, so standard input must be one. {@code -t} alone
 * needs no terminal (the output just comes through the pty).
 */
record TerminalFlags(boolean interactive, boolean tty) {

    /** The process's terminal, or null without {@code -t}; refuses {@code -it} on a pipe or file before anything is created. */
    Terminal terminal() {
        if (!tty) {
            return null;
        }
        if (interactive && LibC.INSTANCE.isatty(0) != 1) {
            throw new IllegalArgumentException("the input device is not a TTY; drop -t to pipe input into the container, or drop -i");
        }
        return new Terminal(0, 0, interactive);
    }
}
