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
 */
final class RootedPath {

    private static final int MAX_LINKS = 40;

    private RootedPath() {
    }

    /** The real file {@code absolutePath} names inside {@code root}, or empty when it does not exist. */
    static Optional<Path> resolve(Path root, String absolutePath) throws IOException {
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
            } else if (Files.exists(candidate, LinkOption.NOFOLLOW_LINKS)) {
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
