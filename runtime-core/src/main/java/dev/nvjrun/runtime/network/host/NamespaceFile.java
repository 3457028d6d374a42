package dev.nvjrun.runtime.network.host;

import dev.nvjrun.runtime.network.NetworkException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A container's network namespace as a file: {@code /proc/PID/ns/net} or a bind-mounted nsfs
 * file. Its inode identifies the namespace; the same path with another inode means the container
 * died and its pid was reused.
 */
public record NamespaceFile(Path netnsPath) {

    /** The namespace's inode, after checking that the path is a namespace at all. */
    public long inode() {
        try {
            // Namespace files all live on the one nsfs superblock; anything else cannot be a namespace.
            Object nsfs = Files.getAttribute(Path.of("/proc/self/ns/net"), "unix:dev");
            if (!Files.getAttribute(netnsPath, "unix:dev").equals(nsfs)) {
                throw new NetworkException(netnsPath + " is not a network namespace; pass /proc/PID/ns/net of the"
                        + " container's running process or a bind-mounted namespace file");
            }
            return ((Number) Files.getAttribute(netnsPath, "unix:ino")).longValue();
        } catch (IOException e) {
            throw new NetworkException("network namespace " + netnsPath + " does not exist; pass /proc/PID/ns/net of"
                    + " the container's running process or a bind-mounted namespace file", e);
        }
    }

    /** Whether the namespace that had {@code inode} is still reachable at the path. */
    public boolean isAlive(long inode) {
        try {
            return inode() == inode;
        } catch (NetworkException e) {
            return false;
        }
    }
}
