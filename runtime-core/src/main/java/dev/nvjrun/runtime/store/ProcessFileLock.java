package dev.nvjrun.runtime.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;

/**
 * Waiting for an fcntl lock that may also be wanted elsewhere in this JVM. The kernel's lock belongs to
 * the process, so a second channel of the same JVM on the same file does not wait: the JDK throws
 * OverlappingFileLockException. That holder is polled for instead, as another process would be waited for.
 */
public final class ProcessFileLock {
    private ProcessFileLock() {
    }

    /** Locks {@code channel} exclusively; {@code what} names the lock for the interrupted case. */
    public static FileLock acquire(FileChannel channel, String what) throws IOException {
        while (true) {
            try {
                return channel.lock();
            } catch (OverlappingFileLockException sameJvm) {
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while waiting for " + what, e);
                }
            }
        }
    }
}
