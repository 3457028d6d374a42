package dev.nvjrun.fakegpu;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a real tool (ldconfig, readelf, stat, sh) and keeps its output for assertions. */
public record Command(int exitCode, String output) {

    public static Command run(String... argv) throws IOException {
        Process process = new ProcessBuilder(List.of(argv)).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException(String.join(" ", argv) + " did not finish within 60 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        return new Command(process.exitValue(), output);
    }
}
