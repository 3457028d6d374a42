package dev.nvjrun.launcher.container;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What a detached container's supervisor runs after the exit (podman's --exit-command):
 * {@code <launcher> --root ROOT [--debug] container cleanup} and the id. The packaged launcher script names
 * itself in the system property {@value #LAUNCHER_PROPERTY}; without it (nvjrun embedded, or in tests
 * that call Main directly) there is no command, and a {@code run -d --rm} container is removed by the
 * supervisor alone, leaving its network to the next prune.
 */
record ExitCommand(List<String> argv) {
    static final String LAUNCHER_PROPERTY = "nvjrun.launcher";

    static ExitCommand of(String launcher, Path root, boolean debug) {
        if (launcher == null || launcher.isEmpty()) {
            return new ExitCommand(List.of());
        }
        List<String> argv = new ArrayList<>(List.of(launcher, "--root", root.toAbsolutePath().toString()));
        if (debug) {
            argv.add("--debug");
        }
        argv.addAll(List.of("container", "cleanup"));
        return new ExitCommand(List.copyOf(argv));
    }
}
