package dev.nvjrun.runtime.network.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nvjrun.runtime.network.NetworkException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResolvConfTest {
    @Test
    void replacesSystemdResolvedStubWithFallbackResolvers() throws IOException {
        String host = resource("systemd-resolved-stub.conf");

        String container = ResolvConf.forContainer(host, List.of(), List.of(), List.of());

        assertEquals(resource("systemd-resolved-stub.expected"), container);
    }

    @Test
    void keepsReachableResolversAndDropsOnlyLoopbackOnes() {
        String container = ResolvConf.forContainer("nameserver 127.0.0.1\nnameserver 10.0.0.2\nnameserver ::1\n"
                + "nameserver fd00::53\n", List.of(), List.of(), List.of());

        assertEquals("nameserver 10.0.0.2\nnameserver fd00::53\n", container);
    }

    @Test
    void dnsFlagsReplaceTheHostsLinesOfTheSameKind() {
        String container = ResolvConf.forContainer("search a.test\nnameserver 10.0.0.2\noptions edns0\n",
                List.of("10.9.9.9"), List.of("."), List.of("ndots:3", "timeout:1"));

        assertEquals("nameserver 10.9.9.9\noptions ndots:3 timeout:1\n", container);
    }

    @Test
    void anEmptyHostFileStillGivesWorkingResolvers() {
        assertEquals("nameserver 8.8.8.8\nnameserver 8.8.4.4\n", ResolvConf.forContainer("", List.of(), List.of(),
                List.of()));
    }

    @Test
    void refusesDnsValuesThatAreNotAddresses() {
        NetworkException error = assertThrows(NetworkException.class,
                () -> ResolvConf.forContainer("", List.of("dns.example"), List.of(), List.of()));
        assertTrue(error.getMessage().startsWith("invalid --dns value 'dns.example'"), error.getMessage());
        assertThrows(NetworkException.class, () -> ResolvConf.forContainer("", List.of(), List.of("bad domain"),
                List.of()));
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = ResolvConfTest.class.getResourceAsStream("/network/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
