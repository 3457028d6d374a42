package dev.nvjrun.runtime.store;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.stream.Stream;

/** A directory tree in the store, handled without ever following a symbolic link out of it. */
public record FileTree(Path root) {

    /** Deletes the tree (or the single file or link at {@code root}); a missing root is fine. */
    public void delete() throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                if (exc != null) {
                    throw exc;
                }
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** Deletes what it can; leftovers in {@code tmp/} are removed by the next prune. */
    public void deleteQuietly() {
        try {
            delete();
        } catch (IOException | RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(FileTree.class).warn("could not delete {}: {}", root, e.getMessage());
        }
    }

    /** Bytes of the regular files in the tree (hard links counted once per name). */
    public long size() {
        try (Stream<Path> paths = Files.walk(root)) {
            return paths.mapToLong(path -> {
                try {
                    return Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS) ? Files.size(path) : 0;
                } catch (IOException vanished) {
                    return 0;
                }
            }).sum();
        } catch (IOException e) {
            return 0;
        }
    }
}
