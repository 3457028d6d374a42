package dev.nvjrun.launcher.container;

import dev.nvjrun.launcher.Main;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The container part of the AOT cache's training run: imports a busybox-static image into a
 * temporary state root and runs the container commands users run most, so their classes are in the
 * cache. Only as root with /bin/busybox present (otherwise skipped); the root is removed afterwards
 * unless something is still mounted under it.
 *
 * <p>Every class the training loads is loaded by every later start (the JVM maps the whole cache), so
 * the image is imported by a separate, untrained JVM: unpacking and hashing are not start-up work.
 * For the same reason the commands that print Docker-shaped JSON through jackson-databind
 * ({@code inspect}, {@code ps --format json}) are left out; they start slower instead.
 */
public final class TrainingContainer {
    private static final Path BUSYBOX = Path.of("/bin/busybox");

    private TrainingContainer() {
    }

    /**
     * Runs the commands through {@code nvjrun}, given as a command-line executor; {@code gpuHost} are
     * the global options that point at a simulated GPU host, for a {@code --gpus} run.
     */
    public static void train(Consumer<String[]> nvjrun, List<String> gpuHost) {
        if (!isRoot() || !Files.isExecutable(BUSYBOX)) {
            return;
        }
        Path dir = null;
        try {
            dir = Files.createTempDirectory("nvjrun-training");
            Path rootfs = Files.createDirectories(dir.resolve("rootfs/bin"));
            Files.copy(BUSYBOX, rootfs.resolve("busybox"));
            Files.createSymbolicLink(rootfs.resolve("true"), Path.of("busybox"));
            Files.createSymbolicLink(rootfs.resolve("sh"), Path.of("busybox"));
            Path tar = dir.resolve("busybox.tar");
            if (new ProcessBuilder("tar", "-C", dir.resolve("rootfs").toString(), "-cf", tar.toString(), ".").start().waitFor() != 0) {
                return;
            }
            String root = dir.resolve("state").toString();
            if (!importUntrained(root, tar)) {
                return;
            }
            List<String> gpuRun = Stream.concat(gpuHost.stream(),
                    Stream.of("run", "--rm", "--gpus", "all", "training/busybox", "/bin/true")).toList();
            List<List<String>> commands = List.of(
                    List.of("run", "--rm", "training/busybox", "/bin/true"),
                    List.of("run", "--rm", "--network", "none", "training/busybox", "/bin/true"),
                    List.of("run", "--rm", "-e", "A=1", "-v", dir + ":/mnt:ro", "training/busybox", "/bin/true"),
                    List.of("run", "--rm", "training/busybox", "/bin/no-such-command"),
                    gpuRun,
                    List.of("run", "-d", "--name", "training-detached", "training/busybox", "/bin/sh", "-c", "sleep 30"),
                    List.of("exec", "training-detached", "/bin/true"),
                    List.of("stop", "-t", "0", "training-detached"),
                    List.of("wait", "training-detached"),
                    List.of("rm", "training-detached"),
                    List.of("create", "--name", "training", "training/busybox", "/bin/true"),
                    List.of("start", "-a", "training"),
                    List.of("ps", "-a"),
                    List.of("logs", "training"),
                    List.of("rm", "training"),
                    List.of("container", "prune", "-f"),
                    // the default network's bridge and rules belong to this temporary root: take them down with it
                    List.of("network", "reset"));
            for (List<String> command : commands) {
                String[] args = Stream.concat(Stream.of("--root", root), command.stream()).toArray(String[]::new);
                nvjrun.accept(args);
            }
        } catch (IOException | RuntimeException e) {
            // training is best effort: a cache without these classes only starts a little slower
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            removeUnlessMounted(dir);
        }
    }

    /** {@code nvjrun import} in a child JVM started without the training flags. */
    private static boolean importUntrained(String root, Path tar) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "--root", root, "import", tar.toString(), "training/busybox")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        return child.waitFor() == 0;
    }

    private static boolean isRoot() {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream()
                    .anyMatch(l -> l.startsWith("Uid:") && l.split("\\s+")[1].equals("0"));
        } catch (IOException e) {
            return false;
        }
    }

    private static void removeUnlessMounted(Path dir) {
        if (dir == null) {
            return;
        }
        try {
            String prefix = dir.toString();
            if (Files.readAllLines(Path.of("/proc/self/mountinfo")).stream().anyMatch(l -> l.contains(prefix))) {
                return;
            }
            try (Stream<Path> walk = Files.walk(dir)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        } catch (IOException ignored) {
            // a temporary directory; the system cleans /tmp
        }
    }
}
