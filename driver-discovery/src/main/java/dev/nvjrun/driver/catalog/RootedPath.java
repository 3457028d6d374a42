package dev.nvjrun.driver.catalog;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

/**
 * Resolves a path inside a root the way a chroot would: absolute symlinks and ".." stop at the
 * root. Path.toRealPath would follow "/usr/lib/libcuda.so.1 -> /usr/lib/..." out to the real host.
 * Used for the host's driver root and for a container's root file system (where files are about to
 * be written: {@link #resolveForWriting}).
 */
public final class RootedPath {

    private static final int MAX_LINKS = 40;

    private RootedPath() {
    }

    /** The real file {@code absolutePath} names inside {@code root}, or empty when it does not exist. */
    public static Optional<Path> resolve(Path root, String absolutePath) throws IOException {
        return walk(root, absolutePath, false);
    }

    /**
     * Where {@code absolutePath} lands inside {@code root}, following the links that exist and keeping the
     * components that do not (yet): nothing written there can end up outside the root, whatever links
     * an image holds.
     */
    public static Path resolveForWriting(Path root, String absolutePath) throws IOException {
        return walk(root, absolutePath, true).orElseThrow();
    }

    private static Optional<Path> walk(Path root, String absolutePath, boolean keepMissing) throws IOException {
        Deque<String> todo = new ArrayDeque<>();
        push(todo, absolutePath);
        Deque<String> done = new ArrayDeque<>();
        int links = 0;
        while (!todo.isEmpty()) {
            String part = todo.pop();
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                done.pollLast();
                continue;
            }
            Path candidate = join(root, done).resolve(part);
            if (Files.isSymbolicLink(candidate)) {
                if (++links > MAX_LINKS) {
                    throw new IOException("too many levels of symbolic links under " + root + " at " + candidate);
                }
                String target = Files.readSymbolicLink(candidate).toString();
                if (target.startsWith("/")) {
                    done.clear();
                }
                push(todo, target);
            } else if (keepMissing || Files.exists(candidate, LinkOption.NOFOLLOW_LINKS)) {
                done.addLast(part);
            } else {
                return Optional.empty();
            }
        }
        return Optional.of(join(root, done));
    }

    private static void push(Deque<String> todo, String path) {
        String[] parts = path.split("/");
        for (int i = parts.length - 1; i >= 0; i--) {
            todo.push(parts[i]);
        }
    }

    private static Path join(Path root, Deque<String> parts) {
        Path p = root;
        for (String part : parts) {
            p = p.resolve(part);
        }
        return p;
    }
}
