package dev.nvjrun.runtime.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Serialises changes to the store between processes (an fcntl lock on {@code store.lock}) and
 * between threads of this process (the kernel lock is per process, so a JVM needs its own too).
 * Two instances on the same file in one JVM also exclude each other, by polling.
 */
public final class StoreLock {

    private final Path lockFile;
    private final ReentrantLock threads = new ReentrantLock();

    public StoreLock(Path lockFile) {
        this.lockFile = lockFile;
    }

    public <T> T underLock(Supplier<T> action) {
        threads.lock();
        try {
            if (threads.getHoldCount() > 1) {
                return action.get();
            }
            Files.createDirectories(lockFile.getParent());
            try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = ProcessFileLock.acquire(channel, "the store lock")) {
                return action.get();
            }
        } catch (IOException e) {
            throw new StoreException("cannot lock the store at " + lockFile + ": " + e.getMessage()
                    + "; check that the state root is writable", e);
        } finally {
            threads.unlock();
        }
    }

    public void underLock(Runnable action) {
        underLock(() -> {
            action.run();
            return null;
        });
    }
}
