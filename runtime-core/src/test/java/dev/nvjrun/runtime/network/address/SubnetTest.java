package dev.nvjrun.runtime.network.address;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nvjrun.runtime.network.NetworkException;
import org.junit.jupiter.api.Test;

class SubnetTest {
    @Test
    void parsesCidrAndDerivesGatewayAndBroadcast() {
        Subnet subnet = Subnet.parse("10.88.0.0/16");

        assertEquals("10.88.0.1", subnet.gateway().toString());
        assertEquals("10.88.255.255", subnet.broadcast().toString());
        assertEquals(65536, subnet.size());
        assertTrue(subnet.contains(Ipv4Address.parse("10.88.200.3")));
        assertFalse(subnet.contains(Ipv4Address.parse("10.89.0.1")));
    }

    @Test
    void detectsOverlapsInBothDirections() {
        Subnet wide = Subnet.parse("172.16.0.0/12");
        Subnet inside = Subnet.parse("172.30.0.0/16");

        assertTrue(wide.overlaps(inside));
        assertTrue(inside.overlaps(wide));
        assertFalse(inside.overlaps(Subnet.parse("172.31.0.0/16")));
    }

    @Test
    void refusesHostBitsAndNamesTheFix() {
        NetworkException error = assertThrows(NetworkException.class, () -> Subnet.parse("10.88.0.1/16"));

        assertEquals("invalid subnet 10.88.0.1/16: the address has host bits set; use 10.88.0.0/16", error.getMessage());
    }

    @Test
    void refusesMalformedSubnetsAndAddresses() {
        for (String bad : new String[] {"10.88.0.0", "10.88.0.0/", "10.88.0.0/33", "10.88.0/16", "10.88.0.256/24",
                "a.b.c.d/8", "10.88.0.0/-1"}) {
            assertThrows(NetworkException.class, () -> Subnet.parse(bad), bad);
        }
        assertFalse(Ipv4Address.isValid("1.2.3.4.5"));
        assertFalse(Ipv4Address.isValid("01234.1.1.1"));
        assertTrue(Ipv4Address.parse("127.0.0.53").isLoopback());
    }

    @Test
    void addressArithmeticCrossesOctets() {
        assertEquals("10.0.1.0", Ipv4Address.parse("10.0.0.255").plus(1).toString());
        assertTrue(Ipv4Address.parse("200.0.0.1").compareTo(Ipv4Address.parse("10.0.0.1")) > 0,
                "ordering is unsigned");
    }
}
