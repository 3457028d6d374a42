package dev.nvjrun.launcher.network;

import dev.nvjrun.runtime.network.NetworkException;
import dev.nvjrun.runtime.network.host.NamespaceMounts;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Network namespace files as {@code ip netns add} makes them (in /run/netns, where {@code ip netns}
 * lists them): a namespace that exists before the container's first process (so it can be
 * attached first) and outlives every process and the CLI (so a stopped container keeps its
 * address and a killed CLI leaves something prune can find). Made with ip's own system calls
 * rather than by starting ip, which cost every container start and removal a process.
 */
final class NamespaceFiles {
    private final NamespaceMounts mounts;

    NamespaceFiles(NamespaceMounts mounts) {
        this.mounts = mounts;
    }

    void create(Path file) {
        try {
            mounts.create(file);
        } catch (IOException e) {
            throw new NetworkException("cannot create the network namespace " + file + ": " + e.getMessage()
                    + "; check that nvjrun runs as root", e);
        }
    }

    /** Unmounts and removes the file; the namespace itself ends with its last process. Idempotent. */
    void delete(Path file) {
        if (!Files.exists(file)) {
            return;
        }
        try {
            mounts.delete(file);
        } catch (IOException e) {
            if (Files.exists(file)) {
                throw new NetworkException("cannot remove the network namespace " + file + ": " + e.getMessage()
                        + "; remove it with `ip netns delete " + file.getFileName() + "`", e);
            }
        }
    }

    List<Path> list(String prefix) {
        if (!Files.isDirectory(NetworkNames.NETNS_DIR)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(NetworkNames.NETNS_DIR)) {
            return files.filter(f -> f.getFileName().toString().startsWith(prefix)).sorted().toList();
        } catch (IOException e) {
            throw new NetworkException("cannot list " + NetworkNames.NETNS_DIR + ": " + e.getMessage() + "; check its permissions", e);
        }
    }
}
