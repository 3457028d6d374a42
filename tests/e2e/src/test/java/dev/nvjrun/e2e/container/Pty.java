package dev.nvjrun.e2e.container;

import com.sun.jna.Library;
import com.sun.jna.Native;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

/**
 * A real pseudo-terminal from the kernel's /dev/ptmx, as a terminal emulator opens one: the test
 * keeps the master (types into it, reads what the programs print, sets the window size, which makes
 * the kernel send SIGWINCH to the terminal's foreground process group) and hands the slave to a
 * command as its controlling terminal ({@code setsid --ctty}).
 */
final class Pty implements AutoCloseable {
    private static final int O_RDWR = 02;
    private static final int O_NOCTTY = 0400;
    private static final long TIOCSWINSZ = 0x5414;
    private static final short POLLIN = 1;

    interface C extends Library {
        C INSTANCE = Native.load("c", C.class);

        int posix_openpt(int flags);

        int grantpt(int fd);

        int unlockpt(int fd);

        String ptsname(int fd);

        int open(String path, int flags);

        int ioctl(int fd, long request, short[] winsize);

        int poll(int[] fds, long count, int timeoutMillis);

        long read(int fd, byte[] buf, long count);

        long write(int fd, byte[] buf, long count);

        int close(int fd);
    }

    private final int master;
    private final int slave;
    private final String slaveName;
    private final ByteArrayOutputStream output = new ByteArrayOutputStream();
    private final Thread reader;
    private volatile boolean closing;

    private Pty(int master, int slave, String slaveName) {
        this.master = master;
        this.slave = slave;
        this.slaveName = slaveName;
        this.reader = Thread.ofPlatform().daemon().name("pty-reader").start(this::readMaster);
    }

    /** A new terminal of this many rows and columns. */
    static Pty open(int rows, int cols) {
        C c = C.INSTANCE;
        int master = c.posix_openpt(O_RDWR | O_NOCTTY);
        if (master < 0 || c.grantpt(master) != 0 || c.unlockpt(master) != 0) {
            throw new IllegalStateException("cannot open a pseudo-terminal: errno " + Native.getLastError());
        }
        String name = c.ptsname(master);
        // Held open here so that the master never reads as hung up between the commands of a test.
        int slave = c.open(name, O_RDWR | O_NOCTTY);
        if (slave < 0) {
            throw new IllegalStateException("cannot open " + name + ": errno " + Native.getLastError());
        }
        Pty pty = new Pty(master, slave, name);
        pty.resize(rows, cols);
        return pty;
    }

    File slave() {
        return new File(slaveName);
    }

    String slaveName() {
        return slaveName;
    }

    /** TIOCSWINSZ on the master, as a terminal emulator does when its window changes. */
    void resize(int rows, int cols) {
        if (C.INSTANCE.ioctl(master, TIOCSWINSZ, new short[] {(short) rows, (short) cols, 0, 0}) != 0) {
            throw new IllegalStateException("TIOCSWINSZ on " + slaveName + ": errno " + Native.getLastError());
        }
    }

    /** Bytes as if typed on the keyboard (0x03 is Ctrl-C). */
    void type(String keys) {
        byte[] bytes = keys.getBytes(StandardCharsets.UTF_8);
        if (C.INSTANCE.write(master, bytes, bytes.length) != bytes.length) {
            throw new IllegalStateException("write to the terminal: errno " + Native.getLastError());
        }
    }

    /**
     * Everything shown on the terminal so far, without carriage returns: each pty on the way (the
     * container's, this one when not raw) turns "\n" into "\r\n".
     */
    String screen() {
        synchronized (output) {
            return output.toString(StandardCharsets.UTF_8).replace("\r", "");
        }
    }

    /** Waits (bounded) until the terminal shows this text, and returns the screen. */
    String awaitScreen(String text, Duration limit) throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + limit.toNanos();
        synchronized (output) {
            while (!screen().contains(text)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new TimeoutException("the terminal never showed '" + text + "'; it shows: " + screen());
                }
                output.wait(Math.max(1, left / 1_000_000));
            }
            return screen();
        }
    }

    private void readMaster() {
        byte[] buf = new byte[4096];
        int[] pollfd = {master, POLLIN};
        while (!closing) {
            pollfd[1] = POLLIN;
            if (C.INSTANCE.poll(pollfd, 1, 100) <= 0) {
                continue;
            }
            long n = C.INSTANCE.read(master, buf, buf.length);
            if (n <= 0) {
                return;
            }
            synchronized (output) {
                output.write(buf, 0, (int) n);
                output.notifyAll();
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        closing = true;
        reader.join(Duration.ofSeconds(5));
        C.INSTANCE.close(slave);
        C.INSTANCE.close(master);
    }
}
