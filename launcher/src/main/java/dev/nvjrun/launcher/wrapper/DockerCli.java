package dev.nvjrun.launcher.wrapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The docker client that wrapper mode drives: {@code docker}, or the command words of
 * {@code NV_DOCKER} as in nvidia-docker 1.0 (e.g. {@code NV_DOCKER="docker -D"}).
 */
final class DockerCli {
    private final List<String> command;

    DockerCli(List<String> command) {
        if (command.isEmpty()) {
            throw new IllegalArgumentException("empty docker command");
        }
        this.command = List.copyOf(command);
    }

    static DockerCli fromEnvironment(String nvDocker) {
        List<String> words = nvDocker == null ? List.of() : List.of(nvDocker.strip().split("\\s+"));
        return new DockerCli(words.isEmpty() || words.get(0).isEmpty() ? List.of("docker") : words);
    }

    record Output(int status, String stdout, String stderr) {}

    /** Runs a docker command and captures what it prints. */
    Output capture(String... args) throws IOException, InterruptedException {
        Process p = start(List.of(args), false);
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        return new Output(p.waitFor(), new String(out, StandardCharsets.UTF_8).strip(),
                new String(err, StandardCharsets.UTF_8).strip());
    }

    /** Runs a docker command on this terminal and returns its exit status, like exec would. */
    int attached(List<String> args) throws IOException, InterruptedException {
        // A JVM cannot exec(2); the child shares our terminal and process group, so Ctrl-C
        // reaches docker as it would have without us in between.
        return start(args, true).waitFor();
    }

    private Process start(List<String> args, boolean inherit) throws IOException {
        List<String> argv = new ArrayList<>(command);
        argv.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(argv);
        if (inherit) {
            pb.inheritIO();
        }
        try {
            return pb.start();
        } catch (IOException e) {
            throw new IOException("cannot run " + command.get(0) + ": " + e.getMessage()
                    + ". Install the Docker client or point NV_DOCKER at it", e);
        }
    }
}
