package dev.nvjrun.runtime.helper;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.StringArray;
import com.sun.jna.ptr.IntByReference;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * One run of the native helper: spawned with posix_spawn (a JVM cannot fork) with the spec pipe on
 * fd 3 and the status pipe on fd 4, stdio inherited from the JVM.
 */
public final class HelperProcess {
    private static final int SPEC_FD = 3;
    private static final int STATUS_FD = 4;

    private final int pid;
    private final int statusFd;
    private boolean reaped;
    private int exitCode;

    private HelperProcess(int pid, int statusFd) {
        this.pid = pid;
        this.statusFd = statusFd;
    }

    /** Starts the helper and hands it the serialised spec; returns once the spec is written. */
    public static HelperProcess spawn(HelperBinary binary, byte[] spec) {
        LibC c = LibC.INSTANCE;
        int[] specPipe = new int[2];
        int[] statusPipe = new int[2];
        if (c.pipe2(specPipe, LibC.O_CLOEXEC) != 0) {
            throw error("create the spec pipe");
        }
        if (c.pipe2(statusPipe, LibC.O_CLOEXEC) != 0) {
            c.close(specPipe[0]);
            c.close(specPipe[1]);
            throw error("create the status pipe");
        }
        Memory actions = new Memory(256);
        Memory attr = new Memory(1024);
        Memory noSignals = new Memory(128);
        Memory allSignals = new Memory(128);
        IntByReference pid = new IntByReference();
        int rc;
        try {
            c.posix_spawn_file_actions_init(actions);
            c.posix_spawn_file_actions_adddup2(actions, specPipe[0], SPEC_FD);
            c.posix_spawn_file_actions_adddup2(actions, statusPipe[1], STATUS_FD);
            // The JVM blocks and handles signals its own way; the helper starts from a clean slate.
            c.posix_spawnattr_init(attr);
            c.sigemptyset(noSignals);
            c.sigfillset(allSignals);
            c.posix_spawnattr_setsigmask(attr, noSignals);
            c.posix_spawnattr_setsigdefault(attr, allSignals);
            c.posix_spawnattr_setflags(attr, (short) (LibC.POSIX_SPAWN_SETSIGDEF | LibC.POSIX_SPAWN_SETSIGMASK));
            String path = binary.path().toString();
            rc = c.posix_spawn(pid, path, actions, attr, new StringArray(new String[] {path}),
                    new StringArray(new String[] {"PATH=/usr/sbin:/usr/bin:/sbin:/bin"}));
        } finally {
            c.posix_spawn_file_actions_destroy(actions);
            c.posix_spawnattr_destroy(attr);
            c.close(specPipe[0]);
            c.close(statusPipe[1]);
        }
        if (rc != 0) {
            c.close(specPipe[1]);
            c.close(statusPipe[0]);
            throw new HelperException("cannot start the native helper " + binary.path() + ": " + c.strerror(rc)
                    + "; check that the file exists and is executable");
        }
        try {
            writeAll(specPipe[1], spec);
        } finally {
            c.close(specPipe[1]);
        }
        return new HelperProcess(pid.getValue(), statusPipe[0]);
    }

    public int pid() {
        return pid;
    }

    /** Blocks until the helper reports a started container or a failure. */
    public HelperStatus awaitStatus() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        byte[] chunk = new byte[1024];
        try {
            while (true) {
                long n = LibC.INSTANCE.read(statusFd, chunk, chunk.length);
                if (n < 0 && Native.getLastError() == LibC.EINTR) {
                    continue;
                }
                if (n <= 0) {
                    break;
                }
                buf.write(chunk, 0, (int) n);
            }
        } finally {
            LibC.INSTANCE.close(statusFd);
        }
        String line = buf.toString(StandardCharsets.UTF_8).strip();
        if (line.startsWith("OK ")) {
            return new HelperStatus.Started(Integer.parseInt(line.substring(3).trim()));
        }
        if (line.startsWith("ERR ")) {
            String rest = line.substring(4);
            int space = rest.indexOf(' ');
            return new HelperStatus.Failed(Integer.parseInt(rest.substring(0, space)), rest.substring(space + 1));
        }
        int code = waitFor();
        return new HelperStatus.Failed(125, "the native helper ended without reporting (exit status " + code + ")");
    }

    /** Waits for the helper to exit and returns its status: the container's, or 128+signal. */
    public synchronized int waitFor() {
        if (reaped) {
            return exitCode;
        }
        IntByReference status = new IntByReference();
        while (LibC.INSTANCE.waitpid(pid, status, 0) < 0) {
            if (Native.getLastError() != LibC.EINTR) {
                throw error("wait for the native helper " + pid);
            }
        }
        int s = status.getValue();
        int signal = s & 0x7f;
        exitCode = signal == 0 ? (s >> 8) & 0xff : 128 + signal;
        reaped = true;
        return exitCode;
    }

    private static void writeAll(int fd, byte[] data) {
        int off = 0;
        while (off < data.length) {
            byte[] part = off == 0 ? data : java.util.Arrays.copyOfRange(data, off, data.length);
            long n = LibC.INSTANCE.write(fd, part, part.length);
            if (n < 0 && Native.getLastError() == LibC.EINTR) {
                continue;
            }
            if (n <= 0) {
                // The helper died before reading everything; its status pipe explains why.
                return;
            }
            off += (int) n;
        }
    }

    private static HelperException error(String what) {
        int errno = Native.getLastError();
        return new HelperException("cannot " + what + ": " + LibC.INSTANCE.strerror(errno));
    }
}
