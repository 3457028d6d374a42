package dev.nvjrun.runtime.store;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/** Writes a whole file or nothing: a sibling temporary file, fsync, then rename over the target. */
public record AtomicFile(Path target) {

    public void write(byte[] content) {
        Path temp = null;
        try {
            Files.createDirectories(target.getParent());
            temp = Files.createTempFile(target.getParent(), "." + target.getFileName() + ".", ".tmp");
            try (OutputStream out = Files.newOutputStream(temp)) {
                out.write(content);
            }
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("the file system does not support atomic rename", e);
            }
            temp = null;
        } catch (IOException e) {
            throw new StoreException("cannot write " + target + ": " + e.getMessage() + "; check free space and permissions", e);
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // the next prune removes leftover temporary files
                }
            }
        }
    }
}
