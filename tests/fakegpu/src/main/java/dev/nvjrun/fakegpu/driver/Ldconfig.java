package dev.nvjrun.fakegpu.driver;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Builds the cache with the real {@code ldconfig -r ROOT}, which chroots and so needs root. */
public final class Ldconfig implements LdCacheBuilder {

    private static final List<Path> CANDIDATES = List.of(Path.of("/sbin/ldconfig"), Path.of("/usr/sbin/ldconfig"));

    @Override
    public void build(Path root) throws IOException {
        Path ldconfig = CANDIDATES.stream().filter(Files::isExecutable).findFirst().orElseThrow(() ->
                new IOException("cannot build " + root.resolve("etc/ld.so.cache")
                        + ": ldconfig is not in /sbin or /usr/sbin; install the libc-bin package"));
        Files.createDirectories(root.resolve("var/cache/ldconfig"));
        // ldconfig -r chroots; without root a user namespace mapped to root can do the same.
        List<String> command = Superuser.active()
                ? List.of(ldconfig.toString(), "-r", root.toAbsolutePath().toString())
                : List.of("unshare", "--user", "--map-root-user", ldconfig.toString(), "-r",
                        root.toAbsolutePath().toString());
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw notRoot(root, "unshare could not be started (" + e.getMessage() + ")");
        }
        String output;
        try {
            output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("cannot build " + root.resolve("etc/ld.so.cache")
                        + ": ldconfig did not finish within 60 s; check the fake host for loops");
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while ldconfig built " + root.resolve("etc/ld.so.cache"), e);
        }
        if (process.exitValue() != 0 && !Superuser.active()) {
            throw notRoot(root, "running it in a user namespace failed (" + output + ")");
        }
        if (process.exitValue() != 0 || !Files.isRegularFile(root.resolve("etc/ld.so.cache"))) {
            throw new IOException("cannot build " + root.resolve("etc/ld.so.cache") + ": ldconfig exited with "
                    + process.exitValue() + " (" + output + "); check that the fake host is intact");
        }
    }

    private static IOException notRoot(Path root, String why) {
        return new IOException("cannot build " + root.resolve("etc/ld.so.cache") + ": `ldconfig -r` chroots into the"
                + " fake host and needs root, and " + why + "; run as root or enable unprivileged user namespaces");
    }
}
