package dev.nvjrun.runtime.network.port;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nvjrun.runtime.network.NetworkException;
import org.junit.jupiter.api.Test;

class PortMappingTest {
    @Test
    void parsesEveryDockerForm() {
        assertEquals(new PortMapping("", 0, 8080, Protocol.TCP), PortMapping.parse("8080"));
        assertEquals(new PortMapping("", 8080, 80, Protocol.TCP), PortMapping.parse("8080:80"));
        assertEquals(new PortMapping("127.0.0.1", 8080, 80, Protocol.TCP), PortMapping.parse("127.0.0.1:8080:80"));
        assertEquals(new PortMapping("127.0.0.1", 0, 80, Protocol.TCP), PortMapping.parse("127.0.0.1::80"));
        assertEquals(new PortMapping("", 5353, 53, Protocol.UDP), PortMapping.parse("5353:53/udp"));
        assertEquals(new PortMapping("", 0, 53, Protocol.UDP), PortMapping.parse("53/UDP"));
    }

    @Test
    void exposedPortsBecomeMappingsOnFreeHostPorts() {
        assertEquals(new PortMapping("", 0, 8888, Protocol.TCP), PortMapping.forExposedPort("8888/tcp"));
        assertThrows(NetworkException.class, () -> PortMapping.forExposedPort("1:2"));
    }

    @Test
    void refusesBadValuesWithTheExpectedForm() {
        assertEquals("invalid published port '80:abc': container port 'abc' is not a number from 1 to 65535; use the"
                + " form [HOST-IP:][HOST-PORT:]CONTAINER-PORT[/tcp|udp], such as 127.0.0.1:8080:80",
                assertThrows(NetworkException.class, () -> PortMapping.parse("80:abc")).getMessage());
        for (String bad : new String[] {"", "0", "70000", "1:2:3:4", "300.1.1.1:80:80", "80/sctp", "8000-8010:80",
                "[::1]:80:80", ":80", "localhost:80:80"}) {
            assertThrows(NetworkException.class, () -> PortMapping.parse(bad), bad);
        }
    }

    @Test
    void conflictsOnlyOnTheSameHostPortProtocolAndAddress() {
        PortMapping all = PortMapping.parse("8080:80");

        assertTrue(all.conflictsWith(PortMapping.parse("127.0.0.1:8080:81")), "all addresses include loopback");
        assertFalse(all.conflictsWith(PortMapping.parse("8080:80/udp")));
        assertFalse(PortMapping.parse("127.0.0.1:8080:80").conflictsWith(PortMapping.parse("127.0.0.2:8080:80")));
        assertFalse(PortMapping.parse("80").conflictsWith(PortMapping.parse("80")), "unassigned ports never clash");
    }

    @Test
    void printsLikeDockerPort() {
        assertEquals("80/tcp -> 0.0.0.0:8080", PortMapping.parse("8080:80").toString());
        assertEquals("53/udp -> 127.0.0.1:5353", PortMapping.parse("127.0.0.1:5353:53/udp").toString());
    }
}
