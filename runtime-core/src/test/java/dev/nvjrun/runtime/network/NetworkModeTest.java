package dev.nvjrun.runtime.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class NetworkModeTest {
    @Test
    void parsesEveryNetworkValue() {
        assertEquals(new NetworkMode.Bridge("bridge"), NetworkMode.parse(null));
        assertEquals(new NetworkMode.Bridge("bridge"), NetworkMode.parse("default"));
        assertEquals(new NetworkMode.Bridge("backend"), NetworkMode.parse("backend"));
        assertEquals(new NetworkMode.Host(), NetworkMode.parse("host"));
        assertEquals(new NetworkMode.None(), NetworkMode.parse("none"));
        assertEquals(new NetworkMode.Container("web"), NetworkMode.parse("container:web"));
    }

    @Test
    void refusesContainerModeWithoutAName() {
        assertEquals("invalid --network value 'container:': name the container whose network to join, such as"
                + " container:web", assertThrows(NetworkException.class, () -> NetworkMode.parse("container:")).getMessage());
    }
}
