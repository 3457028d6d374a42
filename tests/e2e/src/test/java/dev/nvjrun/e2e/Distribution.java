package dev.nvjrun.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The packaged commands under build/bin, run as a user runs them: through a shell. */
final class Distribution {

    record Result(int status, String out, String err) {}

    private final Path bin;

    private Distribution(Path bin) {
        this.bin = bin;
    }

    static Distribution installed() {
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

    Path bin() {
        return bin;
    }

    /** Runs a shell script with build/bin first on PATH. */
    Result sh(String script) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("/bin/sh", "-c", script));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        pb.environment().keySet().removeIf(k -> k.startsWith("NVJRUN_"));
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
}
