package dev.nvjrun.plugin.daemon;

import dev.nvjrun.plugin.host.InMemoryGpuHost;

import java.nio.file.Path;
import java.util.List;

/** Runs the daemon in its own JVM so that a test can send it real signals. */
public final class DaemonMain {

    private DaemonMain() {
    }

    /** Arguments: listen address, volumes directory, socket directory. */
    public static void main(String[] args) throws Exception {
        PluginOptions options = new PluginOptions(args[0], Path.of(args[1]), Path.of(args[2]), false);
        System.exit(PluginDaemon.run(options, new InMemoryGpuHost("535.104.05", 2, List.of())));
    }
}
