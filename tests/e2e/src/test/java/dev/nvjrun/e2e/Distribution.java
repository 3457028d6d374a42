package dev.nvjrun.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged commands under build/bin, run as a user runs them: through a shell, with build/bin
 * first on PATH and none of the caller's NVJRUN_* or NV_GPU variables leaking in. The one runner
 * every e2e test uses.
 */
public final class Distribution {

    public record Result(int status, String out, String err) {}

    /**
     * What a test class runs after its last test on its own state root: every container removed and the
     * root's default bridge with its firewall chains taken down (the root is a temporary directory, and a
     * bridge outliving it uses up the default subnets for every later run on this machine).
     */
    public static final String CLEAN_ROOT =
            "nvjrun container prune -f >/dev/null; for c in $(nvjrun ps -a -q); do nvjrun rm -f $c; done; nvjrun network reset";

    private final Path bin;

    private Distribution(Path bin) {
        this.bin = bin;
    }

    public static Distribution installed() {
        String dist = System.getProperty("nvjrun.dist");
        if (dist == null) {
            throw new IllegalStateException("system property nvjrun.dist is not set; run these tests through Maven");
        }
        Path bin = Path.of(dist, "bin");
        if (!Files.isExecutable(bin.resolve("nvjrun"))) {
            throw new IllegalStateException(bin.resolve("nvjrun") + " is missing: the packaging module lays it out; run `make build`");
        }
        return new Distribution(bin);
    }

    public Path bin() {
        return bin;
    }

    /** Runs a shell script. */
    public Result sh(String script) throws IOException, InterruptedException {
        return sh(script, Map.of());
    }

    /** Runs a shell script with these variables added (NVJRUN_ROOT, say). */
    public Result sh(String script, Map<String, String> environment) throws IOException, InterruptedException {
        ProcessBuilder pb = command(List.of("/bin/sh", "-c", script), environment);
        Path err = Files.createTempFile("nvjrun-e2e", ".err");
        try {
            pb.redirectError(err.toFile());
            Process p = pb.start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("timed out: " + script);
            }
            return new Result(p.exitValue(), out, Files.readString(err));
        } finally {
            Files.deleteIfExists(err);
        }
    }

    /** A command with the same environment as {@link #sh}, for a test that wires its streams itself (a terminal, say). */
    public ProcessBuilder command(List<String> argv, Map<String, String> environment) {
        ProcessBuilder pb = new ProcessBuilder(argv);
        pb.environment().keySet().removeIf(k -> k.startsWith("NVJRUN_") || k.equals("NV_GPU"));
        pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        pb.environment().putAll(environment);
        return pb;
    }
}
