package dev.nvjrun.e2e.container;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The packaged nvjrun (build/bin), run as a user runs it: through a shell, with a state root of its own. */
final class Shell {
    record Result(int status, String out, String err) {}

    private final Path bin;
    private final Path root;

    Shell(Path root) {
        String dist = System.getProperty("nvjrun.dist");
        if (dist == null) {
            throw new IllegalStateException("system property nvjrun.dist is not set; run these tests through Maven");
        }
        this.bin = Path.of(dist, "bin");
        if (!Files.isExecutable(bin.resolve("nvjrun"))) {
            throw new IllegalStateException(bin.resolve("nvjrun") + " is missing: the packaging module lays it out; run `make build`");
        }
        this.root = root;
    }

    /** Runs a script with build/bin first on PATH and NVJRUN_ROOT set to this shell's state root. */
    Result sh(String script) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(List.of("/bin/sh", "-c", script));
        pb.environment().keySet().removeIf(k -> k.startsWith("NVJRUN_"));
        pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        pb.environment().put("NVJRUN_ROOT", root.toString());
        Path err = Files.createTempFile("nvjrun-e2e", ".err");
        try {
            pb.redirectError(err.toFile());
            Process p = pb.start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("timed out: " + script);
            }
            return new Result(p.exitValue(), out, Files.readString(err));
        } finally {
            Files.deleteIfExists(err);
        }
    }
}
