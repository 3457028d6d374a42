package dev.nvjrun.runtime.network.state;

import dev.nvjrun.runtime.network.NetworkException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An exclusive lock on a file in the state directory, held across processes (two nvjrun
 * commands) and threads. It is reentrant for the thread that holds it, so a network operation can
 * call another one without deadlocking on itself.
 */
public final class StateLock {
    private final Path file;
    private final ReentrantLock threadLock = new ReentrantLock();
    private FileChannel channel;
    private FileLock fileLock;

    public StateLock(Path file) {
        this.file = file;
    }

    /** Blocks until the lock is held; close the result to release it. */
    public Held acquire() {
        threadLock.lock();
        if (threadLock.getHoldCount() == 1) {
            try {
                lockFile();
            } catch (RuntimeException e) {
                threadLock.unlock();
                throw e;
            }
        }
        return new Held();
    }

    private void lockFile() {
        try {
            Files.createDirectories(file.getParent());
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            while (true) {
                try {
                    fileLock = channel.lock();
                    return;
                } catch (OverlappingFileLockException e) {
                    // Another StateLock object in this JVM holds the same file; wait for it.
                    Thread.sleep(5);
                }
            }
        } catch (IOException e) {
            closeQuietly();
            throw new NetworkException("cannot lock " + file + ": " + e.getMessage()
                    + "; check that the state directory is writable by root", e);
        } catch (InterruptedException e) {
            closeQuietly();
            Thread.currentThread().interrupt();
            throw new NetworkException("interrupted while waiting for the lock " + file, e);
        }
    }

    private void closeQuietly() {
        try {
            if (channel != null) {
                channel.close();
            }
        } catch (IOException ignored) {
            // Closing releases the lock; nothing else to undo.
        }
        channel = null;
        fileLock = null;
    }

    /** Proof that the lock is held; closing it releases one level of holding. */
    public final class Held implements AutoCloseable {
        private boolean released;

        private Held() {
        }

        @Override
        public void close() {
            if (released) {
                return;
            }
            released = true;
            if (threadLock.getHoldCount() == 1) {
                try {
                    if (fileLock != null) {
                        fileLock.release();
                    }
                } catch (IOException ignored) {
                    // The channel close below releases it in any case.
                }
                closeQuietly();
            }
            threadLock.unlock();
        }
    }
}
