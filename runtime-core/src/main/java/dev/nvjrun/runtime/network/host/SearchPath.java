package dev.nvjrun.runtime.network.host;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The directories of {@code PATH}, where {@link CommandRunner} finds the host's tools. Asking
 * whether a tool is installed by looking for it costs a few stat calls; running it
 * ({@code iptables -V}) cost a fork and two execs on every container start and removal.
 */
public record SearchPath(List<Path> directories) {

    public SearchPath {
        directories = List.copyOf(directories);
    }

    /** The calling process's {@code PATH}, the one {@link ProcessBuilder} searches. */
    public static SearchPath ofEnvironment() {
        String path = System.getenv("PATH");
        if (path == null || path.isEmpty()) {
            return new SearchPath(List.of());
        }
        return new SearchPath(Arrays.stream(path.split(File.pathSeparator))
                .filter(entry -> !entry.isEmpty()).map(Path::of).toList());
    }

    /** Whether an executable file of this name is in one of the directories. */
    public boolean contains(String tool) {
        return directories.stream().map(directory -> directory.resolve(tool))
                .anyMatch(file -> Files.isRegularFile(file) && Files.isExecutable(file));
    }
}
