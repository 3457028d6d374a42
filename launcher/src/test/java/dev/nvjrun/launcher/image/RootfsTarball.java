package dev.nvjrun.launcher.image;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A busybox root file system tarball made by the real {@code tar} from Debian's busybox-static,
 * and the real peers the image tests call ({@code tar}, {@code skopeo}).
 */
final class RootfsTarball {

    private static final Path BUSYBOX = Path.of("/bin/busybox");

    private RootfsTarball() {
    }

    /** Writes {@code dir/rootfs.tar.gz} holding bin/busybox, bin/sh and etc/motd with {@code motd}. */
    static Path busybox(Path dir, String motd) throws IOException {
        if (!Files.isRegularFile(BUSYBOX)) {
            throw new IllegalStateException("test needs /bin/busybox: apt-get install busybox-static");
        }
        Path rootfs = Files.createDirectories(dir.resolve("rootfs"));
        Files.createDirectories(rootfs.resolve("bin"));
        Files.createDirectories(rootfs.resolve("etc"));
        Files.copy(BUSYBOX, rootfs.resolve("bin/busybox"));
        Files.createSymbolicLink(rootfs.resolve("bin/sh"), Path.of("busybox"));
        Files.writeString(rootfs.resolve("etc/motd"), motd);
        Path tarball = dir.resolve("rootfs.tar.gz");
        run("tar", "tar", "--owner=0", "--group=0", "-C", rootfs.toString(), "-czf", tarball.toString(), ".");
        return tarball;
    }

    /** Runs a peer from apt and returns its output; a missing peer names its package. */
    static String run(String aptPackage, String... command) {
        try {
            Process process = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
            }
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException("test needs " + command[0] + ": apt-get install " + aptPackage, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
