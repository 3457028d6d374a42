package dev.nvjrun.plugin.daemon;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Loads the {@code nvidia-uvm} kernel module the way nvidia-docker-plugin did at start
 * ({@code nvidia-modprobe -u -c=0}), so that {@code /dev/nvidia-uvm} exists before containers ask for it.
 */
public final class UvmModule {

    private static final Logger log = LoggerFactory.getLogger(UvmModule.class);

    private UvmModule() {
    }

    /**
     * Runs {@code nvidia-modprobe -u -c=0} when it is found in {@code searchPath}; does nothing otherwise.
     *
     * @return whether nvidia-modprobe was found and ran
     * @throws PluginException when nvidia-modprobe exists but fails
     */
    public static boolean load(List<Path> searchPath) throws PluginException {
        Optional<Path> modprobe = searchPath.stream().map(dir -> dir.resolve("nvidia-modprobe"))
                .filter(Files::isExecutable).findFirst();
        if (modprobe.isEmpty()) {
            log.info("nvidia-modprobe not found; assuming the nvidia-uvm module is loaded");
            return false;
        }
        String command = modprobe.get() + " -u -c=0";
        try {
            Process process = new ProcessBuilder(modprobe.get().toString(), "-u", "-c=0").redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes()).trim();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new PluginException("cannot load the nvidia-uvm kernel module: " + command
                        + " did not finish in 30 s. Check the driver installation");
            }
            if (process.exitValue() != 0) {
                throw new PluginException("cannot load the nvidia-uvm kernel module: " + command + " exited with "
                        + process.exitValue() + (output.isEmpty() ? "" : " (" + output + ")")
                        + ". Check the driver installation or run as root");
            }
            return true;
        } catch (IOException e) {
            throw new PluginException("cannot run " + command + ": " + e.getMessage() + ". Check the driver installation", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PluginException("interrupted while loading the nvidia-uvm kernel module", e);
        }
    }

    /** The directories of {@code $PATH}. */
    public static List<Path> systemPath() {
        String path = System.getenv("PATH");
        return path == null ? List.of() : Arrays.stream(path.split(":")).filter(s -> !s.isEmpty()).map(Path::of).toList();
    }
}
