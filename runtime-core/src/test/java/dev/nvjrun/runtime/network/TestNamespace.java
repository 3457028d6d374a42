package dev.nvjrun.runtime.network;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A stand-in for a container: a sleeping process in a network namespace of its own, made with
 * {@code unshare --net}. Closing it kills the process, which destroys the namespace.
 */
final class TestNamespace implements AutoCloseable {
    private final Process process;
    private final List<Process> servers = new ArrayList<>();

    private TestNamespace(Process process) {
        this.process = process;
    }

    static TestNamespace start() throws IOException, InterruptedException {
        Process process = new ProcessBuilder("unshare", "--net", "sleep", "600").redirectErrorStream(true).start();
        TestNamespace namespace = new TestNamespace(process);
        Object own = Files.getAttribute(Path.of("/proc/self/ns/net"), "unix:ino");
        for (int i = 0; i < 200; i++) {
            try {
                if (!Files.getAttribute(namespace.path(), "unix:ino").equals(own)) {
                    return namespace;
                }
            } catch (IOException notYet) {
                // The process has not exec'd yet.
            }
            Thread.sleep(5);
        }
        namespace.close();
        throw new IllegalStateException("unshare --net did not create a network namespace within 1 s");
    }

    Path path() {
        return Path.of("/proc/" + process.pid() + "/ns/net");
    }

    /** Runs a command inside the namespace and returns its output; fails the test unless it exits 0. */
    String exec(String... command) throws IOException, InterruptedException {
        Result result = run(command);
        if (result.status != 0) {
            fail("`" + String.join(" ", command) + "` in the namespace exited " + result.status + ": " + result.output);
        }
        return result.output;
    }

    Result run(String... command) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>(List.of("nsenter", "--net=" + path()));
        full.addAll(List.of(command));
        Path output = Files.createTempFile("nvjrun-netns", ".out");
        try {
            Process child = new ProcessBuilder(full).redirectErrorStream(true).redirectOutput(output.toFile()).start();
            child.getOutputStream().close();
            if (!child.waitFor(20, TimeUnit.SECONDS)) {
                child.destroyForcibly();
                fail("`" + String.join(" ", command) + "` in the namespace did not finish within 20 s");
            }
            return new Result(child.exitValue(), Files.readString(output));
        } finally {
            Files.deleteIfExists(output);
        }
    }

    /** Starts a long-running server inside the namespace; it is stopped by {@link #close()}. */
    void startServer(String... command) throws IOException {
        List<String> full = new ArrayList<>(List.of("nsenter", "--net=" + path()));
        full.addAll(List.of(command));
        servers.add(new ProcessBuilder(full).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start());
    }

    /** Kills the sleeping process like SIGKILL kills a container; the kernel then destroys the namespace. */
    void kill() throws InterruptedException {
        servers.forEach(Process::destroyForcibly);
        for (Process server : servers) {
            server.waitFor(5, TimeUnit.SECONDS);
        }
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        kill();
    }

    record Result(int status, String output) {
    }
}
