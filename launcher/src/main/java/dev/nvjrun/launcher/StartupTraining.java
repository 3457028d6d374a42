package dev.nvjrun.launcher;

import java.io.OutputStream;
import java.util.List;

/**
 * A training run for the JDK's ahead-of-time cache (JEP 483/514): runs the commands users run
 * most, in one JVM, against the simulated host the build creates, so that the classes they load
 * and link are in the cache and {@code nvjrun} starts several times faster. Used only by the
 * build (scripts/assemble-dist); output is discarded.
 */
public final class StartupTraining {

    private StartupTraining() {
    }

    public static void main(String[] args) {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: StartupTraining FAKE-HOST-DIR");
        }
        String root = args[0];
        List<String> host = List.of("--driver-root", root, "--dev-root", root, "--proc-root", root + "/proc");
        // Every class trained is loaded by every start. So no --json variants (jackson-databind is big), and
        // no --help or unknown command: they register every command, and the training JVM links (verifies)
        // each class it loaded, which loads what their code refers to (databind through the image commands).
        List<List<String>> commands = List.of(
                List.of("version"),
                List.of("gpu", "info"),
                List.of("gpu", "status"),
                List.of("driver", "list"),
                List.of("driver", "ldcache"));
        for (List<String> command : commands) {
            List<String> all = command.get(0).equals("version") ? command : concat(host, command);
            Main.execute(all.toArray(String[]::new), OutputStream.nullOutputStream(), OutputStream.nullOutputStream());
        }
        dev.nvjrun.launcher.container.TrainingContainer.train(
                line -> Main.execute(line, OutputStream.nullOutputStream(), OutputStream.nullOutputStream()), host);
    }

    private static List<String> concat(List<String> a, List<String> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }
}
