package dev.nvjrun.e2e.docker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A private, real dockerd (Debian's docker.io): its own data root, exec root, pid file and socket
 * under one directory, no iptables and no bridge, so it touches nothing of the host's Docker.
 * Stopped by pid; what it leaves mounted under its directory is unmounted on close.
 */
final class DockerDaemon implements AutoCloseable {

    static final Path DOCKERD = Path.of("/usr/sbin/dockerd");
    /** Debian's client, the same version as the daemon (a newer /usr/local/bin/docker may sit earlier on PATH). */
    static final Path DOCKER = Path.of("/usr/bin/docker");

    record Result(int status, String out, String err) {
    }

    private final Path dir;
    private final Path socket;
    private final Process process;

    private DockerDaemon(Path dir, Path socket, Process process) {
        this.dir = dir;
        this.socket = socket;
        this.process = process;
    }

    /** Starts dockerd in {@code dir} with overlay2, else vfs; fails with the daemon's log when neither starts. */
    static DockerDaemon start(Path dir) throws IOException, InterruptedException {
        if (!Files.isExecutable(DOCKERD) || !Files.isExecutable(DOCKER)) {
            throw new AssertionError("Docker is not installed: " + DOCKERD + " and " + DOCKER
                    + " are needed for the real-Docker test. Install docker.io (scripts/install-deps)");
        }
        StringBuilder failures = new StringBuilder();
        for (String driver : new String[]{"overlay2", "vfs"}) {
            Path root = Files.createDirectories(dir.resolve(driver));
            DockerDaemon daemon = launch(root, driver);
            if (daemon.awaitReady(30)) {
                return daemon;
            }
            failures.append("\n--- dockerd with ").append(driver).append(" ---\n").append(daemon.logTail());
            daemon.close();
        }
        throw new AssertionError("dockerd did not start in " + dir + "; the real-Docker test needs it:" + failures);
    }

    private static DockerDaemon launch(Path root, String storageDriver) throws IOException {
        Path socket = root.resolve("docker.sock");
        Process process = new ProcessBuilder(DOCKERD.toString(),
                "--data-root", root.resolve("data").toString(), "--exec-root", root.resolve("exec").toString(),
                "--pidfile", root.resolve("docker.pid").toString(), "-H", "unix://" + socket,
                "--iptables=false", "--bridge=none", "--storage-driver=" + storageDriver)
                .redirectErrorStream(true).redirectOutput(root.resolve("dockerd.log").toFile()).start();
        return new DockerDaemon(root, socket, process);
    }

    private boolean awaitReady(int seconds) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline && process.isAlive()) {
            if (Files.exists(socket) && docker("version").status() == 0) {
                return true;
            }
            Thread.sleep(200);
        }
        return false;
    }

    /** The environment a docker client needs to talk to this daemon. */
    Map<String, String> clientEnvironment() {
        return Map.of("DOCKER_HOST", "unix://" + socket, "DOCKER_API_VERSION", "1.41");
    }

    /** Runs Debian's docker client against this daemon. */
    Result docker(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(DOCKER.toString()));
        command.addAll(List.of(args));
        return run(command, Map.of());
    }

    /** Runs a shell script with this daemon as DOCKER_HOST and Debian's docker first on PATH. */
    Result sh(String script, Map<String, String> environment) throws IOException, InterruptedException {
        return run(List.of("/bin/sh", "-c", script), environment);
    }

    private Result run(List<String> command, Map<String, String> environment) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().putAll(clientEnvironment());
        pb.environment().put("PATH", DOCKER.getParent() + ":/usr/sbin:/bin:/sbin");
        pb.environment().putAll(environment);
        Path err = Files.createTempFile(dir, "docker", ".err");
        try {
            Process p = pb.redirectError(err.toFile()).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("timed out after 60 s: " + String.join(" ", command));
            }
            return new Result(p.exitValue(), out, Files.readString(err));
        } finally {
            Files.deleteIfExists(err);
        }
    }

    String logTail() {
        try {
            List<String> lines = Files.readAllLines(dir.resolve("dockerd.log"));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (IOException e) {
            return "(no dockerd log: " + e.getMessage() + ")";
        }
    }

    /** SIGTERM, then SIGKILL after 20 s; then its containerd, then whatever is still mounted under its directory. */
    @Override
    public void close() throws IOException, InterruptedException {
        stop(process.toHandle());
        // dockerd stops the containerd it started; after a SIGKILL that one is left over.
        Path containerdPid = dir.resolve("exec/containerd/containerd.pid");
        if (Files.exists(containerdPid)) {
            String pid = Files.readString(containerdPid).strip();
            if (!pid.isEmpty()) {
                ProcessHandle.of(Long.parseLong(pid)).ifPresent(DockerDaemon::stop);
            }
        }
        unmountUnder(dir);
    }

    private static void stop(ProcessHandle handle) {
        if (!handle.isAlive()) {
            return;
        }
        handle.destroy();
        try {
            handle.onExit().get(20, TimeUnit.SECONDS);
        } catch (Exception e) {
            handle.destroyForcibly();
        }
    }

    private static void unmountUnder(Path dir) throws IOException, InterruptedException {
        String prefix = dir.toRealPath().toString() + "/";
        List<String> mounts = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            String point = line.split(" ")[4].replace("\\040", " ");
            if (point.startsWith(prefix)) {
                mounts.add(point);
            }
        }
        for (int i = mounts.size() - 1; i >= 0; i--) {
            new ProcessBuilder("umount", "-l", mounts.get(i)).redirectErrorStream(true).start().waitFor();
        }
    }
}
