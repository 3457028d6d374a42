package dev.nvjrun.plugin.daemon;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ListenAddressTest {

    @Test
    void readsHostPortForms() throws Exception {
        assertEquals(new ListenAddress("localhost", 3476), ListenAddress.parse("localhost:3476"));
        assertEquals(new ListenAddress("0.0.0.0", 3476), ListenAddress.parse(":3476"));
        assertEquals(new ListenAddress("::1", 80), ListenAddress.parse("[::1]:80"));
    }

    @Test
    void knowsLoopbackFromReachableAddresses() throws Exception {
        assertTrue(ListenAddress.parse("localhost:3476").isLoopback());
        assertTrue(ListenAddress.parse("127.0.0.1:3476").isLoopback());
        assertTrue(ListenAddress.parse("[::1]:3476").isLoopback());
        assertFalse(ListenAddress.parse(":3476").isLoopback());
        assertFalse(ListenAddress.parse("0.0.0.0:3476").isLoopback());
    }

    @Test
    void refusesMalformedAddresses() {
        for (String bad : new String[]{"localhost", "localhost:", "localhost:http", "localhost:70000", "localhost:-1", ""}) {
            PluginException e = assertThrows(PluginException.class, () -> ListenAddress.parse(bad), bad);
            assertTrue(e.getMessage().startsWith("invalid"), e.getMessage());
        }
    }
}
