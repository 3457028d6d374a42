package dev.nvjrun.e2e.docker;

import dev.nvjrun.fakegpu.FakeGpuHost;
import dev.nvjrun.fakegpu.HostSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The plugin proven against a real Docker: a private dockerd, a busybox image, build/bin/nvjrun-plugin
 * serving a simulated 3-GPU host with its socket where dockerd looks for plugins, and
 * {@code docker run $(curl -s localhost:PORT/docker/cli) busybox:local ...} as a user types it.
 */
class RealDockerTest {

    /** The only directory dockerd scans for plugin sockets besides /etc/docker/plugins. */
    private static final Path PLUGIN_DIR = Path.of("/run/docker/plugins");
    private static final Path SOCKET = PLUGIN_DIR.resolve("nvidia-docker.sock");
    private static final String LIST = "sh -c 'ls /usr/local/nvidia/lib64; ls -l /dev/nvidia*'";
    private static final Pattern DEVICE_LINE = Pattern.compile("^c\\S+\\s+\\d+\\s+\\S+\\s+\\S+\\s+(\\d+),\\s+(\\d+) .* /dev/(nvidia\\S*)$");

    @TempDir
    static Path tmp;
    static FakeGpuHost host;
    static DockerDaemon docker;
    static Process plugin;
    static int port;
    /** Whether /run/docker and /run/docker/plugins were there before (dockerd makes them when not). */
    static boolean hadRunDocker;
    static boolean hadPluginDir;
    static Path pluginLog;

    @BeforeAll
    static void start() throws Exception {
        Path bin = Path.of(System.getProperty("nvjrun.dist", "build"), "bin");
        Path pluginCommand = bin.resolve("nvjrun-plugin");
        if (!Files.isExecutable(pluginCommand)) {
            throw new AssertionError(pluginCommand + " is missing: the packaging module lays it out; run `make build`");
        }
        if (Files.exists(SOCKET, LinkOption.NOFOLLOW_LINKS)) {
            throw new AssertionError(SOCKET + " already exists: another nvidia-docker plugin may be running; stop it"
                    + " (this test will not replace a socket it did not make)");
        }
        hadRunDocker = Files.isDirectory(PLUGIN_DIR.getParent());
        hadPluginDir = Files.isDirectory(PLUGIN_DIR);
        host = FakeGpuHost.create(tmp.resolve("host"), HostSpec.defaults().withGpus(3));
        docker = DockerDaemon.start(tmp.resolve("docker"));
        importBusybox();

        port = freePort();
        pluginLog = tmp.resolve("plugin.log");
        ProcessBuilder pb = new ProcessBuilder(pluginCommand.toString(), "-l", "127.0.0.1:" + port,
                "-d", tmp.resolve("volumes").toString(), "-s", PLUGIN_DIR.toString());
        pb.environment().keySet().removeIf(k -> k.startsWith("NVJRUN_"));
        pb.environment().putAll(host.environment());
        plugin = pb.redirectErrorStream(true).redirectOutput(pluginLog.toFile()).start();
        awaitPlugin();
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (plugin != null) {
                plugin.destroy();
                if (!plugin.waitFor(20, TimeUnit.SECONDS)) {
                    plugin.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
                // A plugin that had to be killed leaves its socket; it is ours (none was there before).
                Files.deleteIfExists(SOCKET);
            }
        } finally {
            if (docker != null) {
                docker.close();
            }
            if (!hadPluginDir) {
                deleteIfEmpty(PLUGIN_DIR);
            }
            if (!hadRunDocker) {
                deleteIfEmpty(PLUGIN_DIR.getParent());
            }
        }
    }

    @Test
    void allGpusGetTheDriverLibrariesAndEveryDeviceNode() throws Exception {
        DockerDaemon.Result run = dockerRunWith("/docker/cli");

        String version = host.spec().driverVersion();
        List<String> lines = run.out().lines().toList();
        assertTrue(lines.containsAll(List.of("libcuda.so", "libcuda.so.1", "libcuda.so." + version,
                "libnvidia-ml.so.1", "libnvidia-ml.so." + version)), run.out());
        assertEquals(Set.of("nvidiactl 195:255", "nvidia-uvm 510:0", "nvidia-uvm-tools 510:1",
                "nvidia0 195:0", "nvidia1 195:1", "nvidia2 195:2"), deviceNodes(run.out()));
        assertTrue(Files.isDirectory(tmp.resolve("volumes/nvidia_driver").resolve(version)), "the plugin made the volume");
    }

    @Test
    void devOneGivesOnlyNvidia1() throws Exception {
        DockerDaemon.Result run = dockerRunWith("/docker/cli?dev=1");

        assertTrue(run.out().lines().anyMatch(("libcuda.so." + host.spec().driverVersion())::equals), run.out());
        assertEquals(Set.of("nvidiactl 195:255", "nvidia-uvm 510:0", "nvidia-uvm-tools 510:1", "nvidia1 195:1"),
                deviceNodes(run.out()));
    }

    /**
     * nvidia-docker 1.0's wrapper mode through the same dockerd: an image labelled
     * com.nvidia.volumes.needed gets, from this host's NVML, what the plugin's ?dev=1 gives.
     */
    @Test
    void wrapperModeGivesTheSameDevicesAndLibrariesAsThePlugin() throws Exception {
        DockerDaemon.Result tagged = docker.sh("echo 'FROM busybox:local' | docker build -q"
                + " --label com.nvidia.volumes.needed=nvidia_driver -t busybox-gpu:local - >/dev/null"
                + " || docker commit --change 'LABEL com.nvidia.volumes.needed=nvidia_driver'"
                + " $(docker create busybox:local true) busybox-gpu:local", Map.of());
        assertEquals(0, tagged.status(), tagged.err());
        Path nvjrun = Path.of(System.getProperty("nvjrun.dist", "build"), "bin", "nvjrun");
        Map<String, String> env = new java.util.HashMap<>(host.environment());
        env.put("NV_GPU", "1");
        DockerDaemon.Result wrapped = docker.sh(nvjrun + " --engine docker run --rm busybox-gpu:local " + LIST, env);
        assertEquals(0, wrapped.status(), wrapped.err() + "\nplugin log:\n" + Files.readString(pluginLog));

        DockerDaemon.Result plugin = dockerRunWith("/docker/cli?dev=1");
        assertEquals(deviceNodes(plugin.out()), deviceNodes(wrapped.out()));
        assertEquals(Set.of("nvidiactl 195:255", "nvidia-uvm 510:0", "nvidia-uvm-tools 510:1", "nvidia1 195:1"),
                deviceNodes(wrapped.out()));
        assertEquals(libraries(plugin.out()), libraries(wrapped.out()));
        assertTrue(libraries(wrapped.out()).contains("libcuda.so." + host.spec().driverVersion()), wrapped.out());
    }

    private static Set<String> libraries(String lsOutput) {
        return lsOutput.lines().filter(l -> l.startsWith("lib")).collect(java.util.stream.Collectors.toCollection(TreeSet::new));
    }

    /** {@code docker run --rm $(curl -s localhost:PORT/PATH) busybox:local ...}, exactly as a user runs it. */
    private static DockerDaemon.Result dockerRunWith(String path) throws Exception {
        String script = "docker run --rm $(curl -s 'localhost:" + port + path + "') busybox:local " + LIST;
        DockerDaemon.Result run = docker.sh(script, Map.of());
        assertEquals(0, run.status(), "`" + script + "` failed: " + run.err() + "\nplugin log:\n"
                + Files.readString(pluginLog) + "\ndockerd log:\n" + docker.logTail());
        return run;
    }

    /** "name major:minor" of every /dev/nvidia* line of {@code ls -l}. */
    private static Set<String> deviceNodes(String lsOutput) {
        Set<String> nodes = new TreeSet<>();
        for (String line : lsOutput.lines().toList()) {
            Matcher m = DEVICE_LINE.matcher(line);
            if (m.matches()) {
                nodes.add(m.group(3) + " " + m.group(1) + ":" + m.group(2));
            }
        }
        return nodes;
    }

    /** busybox:local from Debian's static busybox: /bin/busybox and the applets the test uses. */
    private static void importBusybox() throws Exception {
        Path busybox = Path.of("/bin/busybox");
        if (!Files.isExecutable(busybox)) {
            throw new AssertionError("/bin/busybox is missing: install busybox-static (scripts/install-deps)");
        }
        Path rootfs = Files.createDirectories(tmp.resolve("busybox/bin"));
        Files.copy(busybox, rootfs.resolve("busybox"));
        for (String applet : new String[]{"sh", "ls", "cat"}) {
            Files.createSymbolicLink(rootfs.resolve(applet), Path.of("busybox"));
        }
        DockerDaemon.Result imported = docker.sh("tar -C '" + rootfs.getParent() + "' -c . | docker import - busybox:local", Map.of());
        assertEquals(0, imported.status(), "docker import failed: " + imported.err());
    }

    private static void awaitPlugin() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline && plugin.isAlive()) {
            try {
                HttpResponse<String> r = client.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/healthz")).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200 && Files.exists(SOCKET)) {
                    return;
                }
            } catch (IOException e) {
                Thread.sleep(100);
            }
        }
        throw new AssertionError("nvjrun-plugin did not start: " + Files.readString(pluginLog));
    }

    private static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }

    private static void deleteIfEmpty(Path dir) {
        try {
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            // Not empty: someone else uses it now; leave it.
        }
    }
}
