package dev.nvjrun.launcher.plugin;

import dev.nvjrun.driver.HostRoots;
import dev.nvjrun.launcher.HostSelection;
import dev.nvjrun.launcher.Main;
import dev.nvjrun.plugin.daemon.PluginDaemon;
import dev.nvjrun.plugin.daemon.PluginOptions;
import dev.nvjrun.plugin.daemon.UvmModule;
import dev.nvjrun.plugin.host.NvmlGpuHost;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code nvjrun plugin}: nvidia-docker-plugin 1.0's daemon, with its flags. Serves the REST API and
 * the Docker volume plugin until SIGTERM or SIGINT, then drains and exits 0.
 */
@Command(name = "plugin", description = {
        "Serve GPU arguments to Docker and schedulers (nvidia-docker-plugin compatible):",
        "the REST API (docker run $(curl -s localhost:3476/docker/cli) IMAGE) and the Docker volume plugin."})
public final class PluginCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = {"-l", "--listen"}, paramLabel = "ADDR", defaultValue = PluginOptions.DEFAULT_LISTEN,
            description = "Address of the REST API (default: ${DEFAULT-VALUE}); anything but loopback is warned about.")
    String listen;

    @Option(names = {"-d", "--volumes"}, paramLabel = "DIR", defaultValue = "/var/lib/nvidia-docker/volumes",
            description = "Where driver volumes live (default: ${DEFAULT-VALUE}).")
    Path volumes;

    @Option(names = {"-s", "--socket-dir"}, paramLabel = "DIR", defaultValue = "/run/docker/plugins",
            description = "Where Docker looks for plugin sockets (default: ${DEFAULT-VALUE}).")
    Path socketDir;

    @Option(names = "-v", description = "Log every request.")
    boolean verbose;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help.")
    boolean help;

    @Override
    public Integer call() throws Exception {
        HostSelection host = Main.of(spec).host();
        UvmModule.load(modprobeSearchPath(host.roots()));
        try (NvmlGpuHost gpus = NvmlGpuHost.open(host.roots(), host.nvmlLibrary(), System.getenv())) {
            return PluginDaemon.run(new PluginOptions(listen, volumes, socketDir, verbose), gpus);
        }
    }

    /** The host's PATH for the real driver; a simulated driver root's own bin directories otherwise. */
    private static List<Path> modprobeSearchPath(HostRoots roots) {
        if (roots.driverRoot().toAbsolutePath().normalize().equals(Path.of("/"))) {
            return UvmModule.systemPath();
        }
        return List.of("/usr/bin", "/usr/sbin", "/bin", "/sbin").stream().map(roots::inDriverRoot).toList();
    }
}
