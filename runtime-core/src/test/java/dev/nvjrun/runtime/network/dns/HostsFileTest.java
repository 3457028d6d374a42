package dev.nvjrun.runtime.network.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.nvjrun.runtime.network.NetworkException;
import dev.nvjrun.runtime.network.address.Ipv4Address;
import java.util.LinkedHashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class HostsFileTest {
    @Test
    void listsLoopbackSelfPeersAndExtraHostsInThatOrder() {
        HostsFile hosts = new HostsFile("10.88.0.5", new LinkedHashSet<>(List.of("abc123", "web")),
                List.of(new HostEntry("10.88.0.6", "db")), List.of(HostEntry.parse("cache:10.0.0.9")));

        assertEquals("127.0.0.1\tlocalhost\n"
                + "::1\tlocalhost ip6-localhost ip6-loopback\n"
                + "fe00::0\tip6-localnet\n"
                + "ff00::0\tip6-mcastprefix\n"
                + "ff02::1\tip6-allnodes\n"
                + "ff02::2\tip6-allrouters\n"
                + "10.88.0.5\tabc123 web\n"
                + "10.88.0.6\tdb\n"
                + "10.0.0.9\tcache\n", hosts.render());
    }

    @Test
    void addHostAcceptsBothSeparatorsIpv6AndHostGateway() {
        assertEquals(new HostEntry("10.0.0.1", "db"), HostEntry.parse("db=10.0.0.1"));
        assertEquals(new HostEntry("fd00::1", "v6"), HostEntry.parse("v6:fd00::1"));
        assertEquals(new HostEntry("10.88.0.1", "gw"),
                HostEntry.parse("gw:host-gateway").resolvedAgainst(Ipv4Address.parse("10.88.0.1")));
    }

    @Test
    void refusesMalformedAddHostValues() {
        assertEquals("invalid --add-host value 'nocolon': use NAME:ADDRESS, such as db:10.0.0.5",
                assertThrows(NetworkException.class, () -> HostEntry.parse("nocolon")).getMessage());
        for (String bad : new String[] {":1.2.3.4", "db:", "db:not-an-ip", "bad name:1.2.3.4", "db:1.2.3.999"}) {
            assertThrows(NetworkException.class, () -> HostEntry.parse(bad), bad);
        }
    }
}
