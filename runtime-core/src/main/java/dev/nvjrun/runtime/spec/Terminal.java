package dev.nvjrun.runtime.spec;

/**
 * Docker's {@code -t}: the process gets a pty from the container's own devpts. Rows and columns of 0
 * copy the window size of the caller's terminal (and follow it on SIGWINCH); {@code interactive}
 * ({@code -i}) forwards the caller's stdin.
 */
public record Terminal(int rows, int cols, boolean interactive) {
    public Terminal {
        if (rows < 0 || cols < 0 || rows > 65535 || cols > 65535) {
            throw new IllegalArgumentException("terminal size " + rows + "x" + cols + " must lie between 0 and 65535");
        }
    }
}
