package dev.nvjrun.launcher.network;

import dev.nvjrun.runtime.image.oci.ImageConfig;
import dev.nvjrun.runtime.network.NetworkException;
import dev.nvjrun.runtime.network.NetworkMode;
import dev.nvjrun.runtime.network.port.PortMapping;
import dev.nvjrun.runtime.network.port.Protocol;
import dev.nvjrun.runtime.network.host.CommandRunner;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Flag parsing, planning and naming: pure logic, no root needed. */
class NetworkFlagsTest {
    private static NetworkFlags flags(String network, List<String> publish, boolean publishAll) {
        return NetworkFlags.parse(network, publish, publishAll, List.of(), List.of(), List.of(), List.of(), null);
    }

    @Test
    void bridgeIsTheDefaultAndDockersPublishFormsParse() {
        NetworkFlags f = flags(null, List.of("8080", "8080:80", "127.0.0.1:8888:8888", "127.0.0.1::53/udp"), false);
        assertEquals(new NetworkMode.Bridge("bridge"), f.mode());
        assertEquals(List.of(new PortMapping("", 0, 8080, Protocol.TCP), new PortMapping("", 8080, 80, Protocol.TCP),
                new PortMapping("127.0.0.1", 8888, 8888, Protocol.TCP), new PortMapping("127.0.0.1", 0, 53, Protocol.UDP)), f.ports());
        assertEquals(new NetworkMode.Bridge("mynet"), flags("mynet", List.of(), false).mode());
        assertEquals(new NetworkMode.Container("web"), flags("container:web", List.of(), false).mode());
    }

    @Test
    void publishAllTakesTheImagesExposedPortsOnFreeHostPorts() {
        ImageConfig image = new ImageConfig("amd64", "linux", "", List.of(), List.of("sh"), List.of(), "", "", Map.of(), List.of(),
                List.of("80/tcp", "53/udp"));
        ContainerNetworks networks = new ContainerNetworks(NetworkNames.forRoot(Path.of("/tmp/some-root")), new CommandRunner());
        NetworkPlan plan = networks.plan(flags("bridge", List.of("127.0.0.1:9000:9000"), true), image, () -> {
            throw new AssertionError("a bridge plan needs no runtime");
        });
        assertEquals(List.of(new PortMapping("127.0.0.1", 9000, 9000, Protocol.TCP), new PortMapping("", 0, 80, Protocol.TCP),
                new PortMapping("", 0, 53, Protocol.UDP)), plan.ports());
        assertTrue(plan.ownsNetns());
        assertTrue(networks.names().owns(plan.netnsFile()), plan.netnsFile().toString());
    }

    @Test
    void refusesConflictingAndMalformedFlagsInOneSentence() {
        List<Runnable> bad = List.of(
                () -> flags("host", List.of("80"), false),
                () -> flags("none", List.of(), true),
                () -> flags("bridge", List.of("1:2:3:4"), false),
                () -> flags("bridge", List.of("70000"), false),
                () -> flags("container:", List.of(), false),
                () -> flags("bad/name", List.of(), false),
                () -> NetworkFlags.parse("bridge", List.of(), false, List.of("not-an-ip"), List.of(), List.of(), List.of(), null),
                () -> NetworkFlags.parse("bridge", List.of(), false, List.of(), List.of(), List.of(), List.of("nocolon"), null),
                () -> NetworkFlags.parse("container:web", List.of(), false, List.of(), List.of(), List.of(), List.of(), "box"));
        for (Runnable r : bad) {
            NetworkException e = assertThrows(NetworkException.class, r::run);
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
            assertTrue(e.getMessage().matches(".*(use|give|drop|name|publish|choose).*"), "names the fix: " + e.getMessage());
        }
    }

    @Test
    void theDefaultRootGetsDockerLikeNamesAndOthersTheirOwn() {
        NetworkNames standard = NetworkNames.forRoot(Path.of("/var/lib/nvjrun"));
        assertEquals("nvjrun0", standard.bridge());
        assertEquals("NVJRUN", standard.chainPrefix());
        assertEquals(Path.of("/run/netns/nvjrun-abc"), standard.netnsFile("abc"));
        NetworkNames other = NetworkNames.forRoot(Path.of("/tmp/a"));
        assertNotEquals(other.bridge(), NetworkNames.forRoot(Path.of("/tmp/b")).bridge());
        assertTrue(other.bridge().length() <= 15, other.bridge());
        assertEquals(Path.of("/tmp/a/network"), other.stateDir());
        assertTrue(other.owns(other.netnsFile("x")));
        assertFalse(other.owns(standard.netnsFile("x")));
        assertFalse(other.owns(Path.of("/proc/1/ns/net")));
        assertFalse(other.owns(null));
    }
}
