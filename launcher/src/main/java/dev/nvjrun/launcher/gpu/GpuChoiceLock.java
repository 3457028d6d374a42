package dev.nvjrun.launcher.gpu;

import dev.nvjrun.runtime.store.ProcessFileLock;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Held by one container's creation from choosing the GPUs of a count request ({@code --gpus 2}) until
 * the container's state records them ({@link GpuHolders}), so that two count requests started together
 * cannot both see the same GPU as free. An fcntl lock on {@code <state root>/gpus.lock}: it excludes
 * other nvjrun processes, and the kernel drops it if nvjrun dies. Never held while a container runs.
 *
 * <p>The kernel's lock belongs to the process, so two creations in one JVM (the launcher's tests)
 * would both get it; the JVM reports that as an overlap, and the second waits by polling, as
 * {@code StoreLock} does.
 */
public final class GpuChoiceLock implements AutoCloseable {

    private final Path file;
    private FileChannel channel;
    private FileLock lock;

    public GpuChoiceLock(Path stateRoot) {
        this.file = stateRoot.resolve("gpus.lock");
    }

    /** Waits until no other creation is choosing; does nothing when this one already holds the lock. */
    public synchronized void acquire() {
        if (lock != null) {
            return;
        }
        try {
            Files.createDirectories(file.getParent());
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            lock = ProcessFileLock.acquire(channel, "another creation choosing GPUs");
        } catch (IOException e) {
            close();
            throw new UncheckedIOException("cannot lock " + file + " to choose GPUs: " + e.getMessage()
                    + "; check that the state root is writable", e);
        }
    }

    /** Lets the next creation choose; safe to call when not held, and more than once. */
    @Override
    public synchronized void close() {
        try {
            if (channel != null) {
                channel.close(); // releases the lock with it
            }
        } catch (IOException ignored) {
            // closing a lock file cannot lose data; the kernel drops the lock with the descriptor
        } finally {
            channel = null;
            lock = null;
        }
    }
}
