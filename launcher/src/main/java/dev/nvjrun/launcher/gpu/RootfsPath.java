package dev.nvjrun.launcher.gpu;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * A container path resolved on the host under the container's root, following the image's symbolic
 * links as a chroot would (Debian's /lib → usr/lib), so that nothing written for the container can
 * land outside its root, whatever links the image holds.
 */
record RootfsPath(Path root) {

    private static final int MAX_LINKS = 40;

    Path resolve(String containerPath) throws IOException {
        Deque<String> todo = new ArrayDeque<>(List.of(containerPath.split("/")));
        Path current = root;
        int links = 0;
        while (!todo.isEmpty()) {
            String part = todo.pop();
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                current = current.equals(root) ? root : current.getParent();
                continue;
            }
            Path next = current.resolve(part);
            if (Files.isSymbolicLink(next)) {
                if (++links > MAX_LINKS) {
                    throw new IOException("too many levels of symbolic links in the image at " + containerPath);
                }
                String target = Files.readSymbolicLink(next).toString();
                List<String> parts = List.of(target.split("/"));
                for (int i = parts.size() - 1; i >= 0; i--) {
                    todo.push(parts.get(i));
                }
                if (target.startsWith("/")) {
                    current = root;
                }
                continue;
            }
            current = next;
        }
        return current;
    }
}
