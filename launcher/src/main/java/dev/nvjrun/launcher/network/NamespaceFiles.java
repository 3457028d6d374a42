package dev.nvjrun.launcher.network;

import dev.nvjrun.runtime.network.NetworkException;
import dev.nvjrun.runtime.network.host.CommandResult;
import dev.nvjrun.runtime.network.host.CommandRunner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Network namespace files made with {@code ip netns add}: a namespace that exists before the
 * container's first process (so it can be attached first) and outlives every process and the CLI
 * (so a stopped container keeps its address and a killed CLI leaves something prune can find).
 */
final class NamespaceFiles {
    private final CommandRunner commands;

    NamespaceFiles(CommandRunner commands) {
        this.commands = commands;
    }

    void create(Path file) {
        CommandResult r = commands.attempt(List.of("ip", "netns", "add", file.getFileName().toString()), null);
        if (!r.succeeded()) {
            throw new NetworkException("cannot create the network namespace " + file + ": " + r.stderr().strip()
                    + "; check that iproute2 is installed and that nvjrun runs as root");
        }
    }

    /** Unmounts and removes the file; the namespace itself ends with its last process. Idempotent. */
    void delete(Path file) {
        if (!Files.exists(file)) {
            return;
        }
        CommandResult r = commands.attempt(List.of("ip", "netns", "delete", file.getFileName().toString()), null);
        if (!r.succeeded() && Files.exists(file)) {
            throw new NetworkException("cannot remove the network namespace " + file + ": " + r.stderr().strip()
                    + "; remove it with `ip netns delete " + file.getFileName() + "`");
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
