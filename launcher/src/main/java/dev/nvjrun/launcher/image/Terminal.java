package dev.nvjrun.launcher.image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether a standard stream is a terminal. Not {@code System.console()}: since JDK 22 it
 * returns a console even when the streams are redirected.
 */
record Terminal(Path fdDirectory) {

    static Terminal ofThisProcess() {
        return new Terminal(Path.of("/proc/self/fd"));
    }

    boolean isTerminal(int fd) {
        try {
            String target = Files.readSymbolicLink(fdDirectory.resolve(Integer.toString(fd))).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
        } catch (IOException | UnsupportedOperationException unknown) {
            return false;
        }
    }

    boolean stdin() {
        return isTerminal(0);
    }

    boolean stdout() {
        return isTerminal(1);
    }
}
