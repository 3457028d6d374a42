package dev.nvjrun.launcher.wrapper;

import com.sun.net.httpserver.HttpServer;
import dev.nvjrun.fakegpu.FakeGpuHost;
import dev.nvjrun.fakegpu.HostSpec;
import dev.nvjrun.launcher.MainAccess;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Wrapper mode against a simulated GPU host and a stand-in docker client that records the
 * command lines it is given (the real-dockerd run is in the e2e tests).
 */
class DockerWrapperTest {
    @TempDir
    static Path dir;
    static FakeGpuHost host;
    Path log;
    Path docker;

    @BeforeAll
    static void createHost() throws Exception {
        host = FakeGpuHost.create(dir.resolve("host"), HostSpec.defaults().withGpus(3));
    }

    /** A docker client: records argv, answers inspect from the labels given, has no volumes. */
    void fakeDocker(String volumesLabel, String cudaLabel) throws Exception {
        log = Files.createTempFile(dir, "docker", ".log");
        docker = Files.createTempFile(dir, "docker", ".sh");
        Files.writeString(docker, """
                #!/bin/sh
                printf '%%s\\n' "$*" >> %s
                case "$*" in
                  "inspect --type=image"*) exit 0 ;;
                  *com.nvidia.volumes.needed*) echo '%s' ;;
                  *com.nvidia.cuda.version*) echo '%s' ;;
                  "volume inspect"*) echo 'Error: No such volume' >&2; exit 1 ;;
                  version*) echo 'Docker version fake' ;;
                  "run"*"--exit=3"*) exit 3 ;;
                esac
                exit 0
                """.formatted(log, volumesLabel, cudaLabel));
        Files.setPosixFilePermissions(docker, PosixFilePermissions.fromString("rwx------"));
    }

    record Result(int status, String out, String err, List<String> dockerCalls) {}

    Result wrapped(Map<String, String> extraEnv, String... args) throws Exception {
        Map<String, String> env = new HashMap<>(host.environment());
        env.put("NV_DOCKER", docker.toString());
        env.putAll(extraEnv);
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        int status = MainAccess.execute(args, out, err, env);
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8),
                Files.readAllLines(log));
    }

    String lastRun(Result r) {
        return r.dockerCalls().stream().filter(l -> l.startsWith("run ") || l.startsWith("create ")).reduce((a, b) -> b).orElseThrow();
    }

    @BeforeEach
    void defaultDocker() throws Exception {
        fakeDocker("nvidia_driver", "");
    }

    @Test
    void otherCommandsPassThroughUnchanged() throws Exception {
        Result r = wrapped(Map.of(), "ps", "-a", "--format", "{{.ID}}");
        assertEquals(0, r.status(), r.err());
        assertEquals(List.of("ps -a --format {{.ID}}"), r.dockerCalls());
    }

    @Test
    void runOfAGpuImageGetsDevicesAndTheDriverVolumeBeforeTheImage() throws Exception {
        Result r = wrapped(Map.of(), "run", "--rm", "-it", "cuda:12", "nvidia-smi");
        assertEquals(0, r.status(), r.err());
        String v = host.spec().driverVersion();
        String d = host.root() + "/dev/";
        assertEquals("run --rm -it --device=" + d + "nvidiactl:/dev/nvidiactl --device=" + d + "nvidia-uvm:/dev/nvidia-uvm"
                + " --device=" + d + "nvidia-uvm-tools:/dev/nvidia-uvm-tools"
                + " --device=" + d + "nvidia0:/dev/nvidia0 --device=" + d + "nvidia1:/dev/nvidia1 --device=" + d + "nvidia2:/dev/nvidia2"
                + " --volume-driver=nvidia-docker --volume=nvidia_driver_" + v + ":/usr/local/nvidia:ro cuda:12 nvidia-smi",
                lastRun(r));
    }

    @Test
    void nvGpuSelectsDevices() throws Exception {
        Result r = wrapped(Map.of("NV_GPU", "1"), "create", "cuda:12");
        assertEquals(0, r.status(), r.err());
        String line = lastRun(r);
        assertTrue(line.contains(":/dev/nvidia1 "), line);
        assertFalse(line.contains("/dev/nvidia0") || line.contains("/dev/nvidia2"), line);
    }

    @Test
    void anImageWithoutTheLabelRunsUnchanged() throws Exception {
        fakeDocker("", "");
        Result r = wrapped(Map.of(), "run", "--rm", "busybox", "true");
        assertEquals(0, r.status(), r.err());
        assertEquals("run --rm busybox true", lastRun(r));
    }

    @Test
    void dockersExitStatusIsOurs() throws Exception {
        fakeDocker("", "");
        assertEquals(3, wrapped(Map.of(), "run", "--exit=3", "busybox").status());
    }

    @Test
    void aNewerCudaImageIsRefusedLike1Point0() throws Exception {
        fakeDocker("nvidia_driver", "99.0");
        Result r = wrapped(Map.of(), "run", "cuda:99", "true");
        assertEquals(125, r.status());
        assertEquals("nvjrun: unsupported CUDA version: driver 12.4 < image 99.0", r.err().strip());
        assertTrue(r.dockerCalls().stream().noneMatch(l -> l.startsWith("run ")), r.dockerCalls().toString());
    }

    @Test
    void anUnknownGpuIsRefusedBeforeDockerRuns() throws Exception {
        Result r = wrapped(Map.of("NV_GPU", "7"), "run", "cuda:12");
        assertEquals(125, r.status());
        assertTrue(r.err().contains("7"), r.err());
        assertTrue(r.dockerCalls().stream().noneMatch(l -> l.startsWith("run ")), r.dockerCalls().toString());
    }

    @Test
    void versionPrintsOursFirst() throws Exception {
        Result r = wrapped(Map.of(), "version");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().startsWith("NVIDIA Docker: nvjrun "), r.out());
        assertEquals(List.of("version"), r.dockerCalls());
    }

    @Test
    void engineFlagIsNotPassedToDocker() throws Exception {
        Result r = wrapped(Map.of(), "--engine", "docker", "images");
        assertEquals(0, r.status(), r.err());
        assertEquals(List.of("images"), r.dockerCalls());
    }

    @Test
    void anUnknownEngineIsRefused() throws Exception {
        Map<String, String> env = new HashMap<>(host.environment());
        var err = new ByteArrayOutputStream();
        int status = MainAccess.execute(new String[] {"--engine", "nvjrun-does-not-exist"}, new ByteArrayOutputStream(), err, env);
        assertEquals(125, status);
        assertTrue(err.toString().contains("unknown engine"), err.toString());
    }

    @Test
    void remotePluginGivesTheArguments() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/v1.0/gpu/info/json", x -> answer(x, "{\"Version\":{\"Driver\":\"535.1\",\"CUDA\":\"12.2\"},\"Devices\":[]}"));
        server.createContext("/v1.0/docker/cli/json", x -> answer(x, "{\"VolumeDriver\":\"nvidia-docker\",\"Volumes\":[\"nvidia_driver_535.1:/usr/local/nvidia:ro\"],"
                + "\"Devices\":[\"/dev/nvidiactl\",\"/dev/nvidia" + x.getRequestURI().getQuery().replaceAll(".*dev=", "") + "\"]}"));
        server.start();
        try {
            Result r = wrapped(Map.of("NV_HOST", "http://127.0.0.1:" + server.getAddress().getPort(), "NV_GPU", "5"), "run", "cuda:12");
            assertEquals(0, r.status(), r.err());
            assertEquals("run --volume-driver=nvidia-docker --volume=nvidia_driver_535.1:/usr/local/nvidia:ro"
                    + " --device=/dev/nvidiactl --device=/dev/nvidia5 cuda:12", lastRun(r));
        } finally {
            server.stop(0);
        }
    }

    @Test
    void anUnreachablePluginIsOneSentence() throws Exception {
        int port;
        try (var s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Result r = wrapped(Map.of("NV_HOST", "http://127.0.0.1:" + port), "run", "cuda:12");
        assertEquals(125, r.status());
        assertTrue(r.err().contains("cannot reach the nvidia-docker plugin"), r.err());
    }

    private static void answer(com.sun.net.httpserver.HttpExchange x, String body) throws java.io.IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        x.sendResponseHeaders(200, bytes.length);
        x.getResponseBody().write(bytes);
        x.close();
    }
}
