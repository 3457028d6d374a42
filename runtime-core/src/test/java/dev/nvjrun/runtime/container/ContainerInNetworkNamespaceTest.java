package dev.nvjrun.runtime.container;

import dev.nvjrun.runtime.spec.ContainerSpec;
import dev.nvjrun.runtime.spec.Namespace;
import dev.nvjrun.runtime.spec.ProcessSpec;
import dev.nvjrun.runtime.spec.User;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Containers that join a prepared network namespace file (what bridge networking hands the runtime), as root. */
class ContainerInNetworkNamespaceTest {
    @TempDir
    static Path tmp;
    static Path rootfs;
    static ContainerRuntime runtime;
    static String netnsName;
    static Path netns;

    @BeforeAll
    static void setUp() throws Exception {
        rootfs = BusyboxRootfs.create(tmp.resolve("rootfs"));
        runtime = ContainerRuntime.open(tmp.resolve("state"));
        netnsName = "nvjtest-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(1 << 24));
        ip("netns", "add", netnsName);
        ip("-n", netnsName, "link", "add", "marker0", "type", "veth", "peer", "name", "marker1");
        netns = Path.of("/run/netns", netnsName);
    }

    @AfterAll
    static void tearDown() throws Exception {
        runtime.list().forEach(s -> runtime.delete(s.id(), true));
        ip("netns", "delete", netnsName);
    }

    private static void ip(String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("ip"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).inheritIO().start();
        assertEquals(0, p.waitFor(), "ip " + String.join(" ", args));
    }

    private static ContainerSpec sh(String script) {
        return DockerDefaults.spec(rootfs, List.of("sh", "-c", script)).withNetworkNamespace(netns);
    }

    @Test
    void containerSeesTheInterfacesOfTheJoinedNamespaceInSysToo() throws Exception {
        Path out = Files.createTempFile(tmp, "out", ".txt");
        RunResult r = runtime.run(CreateRequest.of(sh("ls /sys/class/net")), true, new Stdio(null, out, out));
        assertEquals(0, r.exitCode(), Files.readString(out));
        assertTrue(Files.readString(out).lines().anyMatch("marker0"::equals), Files.readString(out));
    }

    @Test
    void execJoinsTheSameNetworkNamespace() throws Exception {
        ContainerState c = runtime.create(CreateRequest.of(sh("sleep 100")));
        runtime.start(c.id());
        Path out = Files.createTempFile(tmp, "exec", ".txt");
        ProcessSpec p = new ProcessSpec(List.of("sh", "-c", "readlink /proc/self/ns/net"), List.of(DockerDefaults.DEFAULT_PATH), "/",
                User.ROOT, List.of(), false);
        assertEquals(0, runtime.exec(c.id(), p, new Stdio(null, out, out)));
        long inode = ((Number) Files.getAttribute(netns, "unix:ino")).longValue();
        assertEquals("net:[" + inode + "]", Files.readString(out).trim());
        runtime.delete(c.id(), true);
    }

    @Test
    void createdContainerRunsInTheForegroundLater() throws Exception {
        ContainerState c = runtime.create(CreateRequest.of(sh("exit 3")));
        assertTrue(Files.isDirectory(runtime.etcDir(c.id())));
        RunResult r = runtime.runCreated(c.id(), true, Stdio.INHERIT);
        assertEquals(3, r.exitCode());
        assertThrows(ContainerException.class, () -> runtime.inspect(c.id()));
    }

    @Test
    void missingNamespaceFileIsReportedAndLeavesTheContainerExited() {
        ContainerSpec spec = DockerDefaults.spec(rootfs, List.of("true")).withNetworkNamespace(Path.of("/run/netns/nvjtest-missing"));
        ContainerState c = runtime.create(CreateRequest.of(spec));
        ContainerException e = assertThrows(ContainerException.class, () -> runtime.start(c.id()));
        assertEquals(125, e.exitCode());
        assertTrue(e.getMessage().contains("open network namespace /run/netns/nvjtest-missing"), e.getMessage());
        assertEquals(ContainerStatus.EXITED, runtime.inspect(c.id()).status());
        runtime.delete(c.id(), false);
    }

    @Test
    void specRefusesANamespaceFileBesideAnOwnNetworkNamespace() {
        ContainerSpec spec = DockerDefaults.spec(rootfs, List.of("true"));
        assertTrue(spec.namespaces().contains(Namespace.NETWORK));
        ContainerSpec joined = spec.withNetworkNamespace(netns);
        assertFalse(joined.namespaces().contains(Namespace.NETWORK));
        assertEquals(netns, joined.networkNamespace());
        assertThrows(IllegalArgumentException.class, () -> joined.withNamespaces(spec.namespaces()));
        assertThrows(IllegalArgumentException.class, () -> spec.withNetworkNamespace(Path.of("relative")));
    }
}
