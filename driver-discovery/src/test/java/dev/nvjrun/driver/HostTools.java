package dev.nvjrun.driver;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the real host tools the tests compare against (ldconfig, gcc, readelf). */
public final class HostTools {

    private HostTools() {
    }

    /** Runs a command in the C locale and returns its stdout; a missing tool or a failure fails the test. */
    public static byte[] run(String... command) {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(false);
        pb.environment().put("LC_ALL", "C");
        try {
            Process p = pb.start();
            p.getOutputStream().close();
            byte[] err;
            byte[] out;
            try (var stdout = p.getInputStream(); var stderr = p.getErrorStream()) {
                out = stdout.readAllBytes();
                err = stderr.readAllBytes();
            }
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail(String.join(" ", command) + " did not finish in 120 s");
            }
            if (p.exitValue() != 0) {
                fail(String.join(" ", command) + " exited with " + p.exitValue() + ": "
                        + new String(err, StandardCharsets.UTF_8));
            }
            return out;
        } catch (IOException e) {
            return fail("cannot run " + command[0] + " (" + e.getMessage()
                    + "); install it: apt-get install -y libc-bin gcc binutils", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail("interrupted while running " + command[0]);
        }
    }

    public static String runText(String... command) {
        return new String(run(command), StandardCharsets.UTF_8);
    }

    /**
     * Builds a real shared object with the given SONAME and DT_NEEDED entries. 32-bit objects are
     * linked with -nostdlib because no i386 libc is installed; {@code needed} are linked as stubs.
     */
    public static void sharedObject(Path out, String soname, boolean bits32, List<Path> needed) throws IOException {
        Files.createDirectories(out.getParent());
        Path src = Files.createTempFile("stub", ".c");
        try {
            Files.writeString(src, "int nvjrun_stub_" + Math.abs(soname.hashCode()) + " = 1;\n");
            List<String> cmd = new ArrayList<>(List.of("gcc", "-shared", "-fPIC", "-nostdlib",
                    "-Wl,--no-as-needed", "-Wl,-soname," + soname, "-o", out.toString(), src.toString()));
            if (bits32) {
                cmd.add(1, "-m32");
            }
            for (Path n : needed) {
                cmd.add(n.toString());
            }
            run(cmd.toArray(String[]::new));
        } finally {
            Files.deleteIfExists(src);
        }
    }
}
