package dev.nvjrun.e2e.container;

import dev.nvjrun.e2e.Distribution;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;


/** The packaged nvjrun (build/bin), run as a user runs it: through a shell, with a state root of its own. */
final class Shell {
    private final Distribution dist = Distribution.installed();
    private final Path root;

    Shell(Path root) {
        this.root = root;
    }

    /** Runs a script with build/bin first on PATH and NVJRUN_ROOT set to this shell's state root. */
    Distribution.Result sh(String script) throws IOException, InterruptedException {
        return dist.sh(script, Map.of("NVJRUN_ROOT", root.toString()));
    }
}
