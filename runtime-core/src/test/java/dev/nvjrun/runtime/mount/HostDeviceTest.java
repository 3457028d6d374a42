package dev.nvjrun.runtime.mount;

import dev.nvjrun.runtime.spec.DeviceType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HostDeviceTest {
    @Test
    void readsMajorMinorAndModeOfAHostNode() {
        HostDevice d = HostDevice.of(Path.of("/dev/null"), "/dev/mynull", "rw");
        assertEquals("/dev/mynull", d.node().path());
        assertEquals(DeviceType.CHAR, d.node().type());
        assertEquals(1, d.node().major());
        assertEquals(3, d.node().minor());
        assertEquals(0666, d.node().mode());
        assertEquals("c 1:3 rw", d.rule().cgroupV1Line());
        assertEquals("/dev/zero", HostDevice.of(Path.of("/dev/zero"), null, null).node().path());
    }

    @Test
    void refusesFilesThatAreNotDevicesAndMissingPaths(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("f"), "x");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HostDevice.of(file, null, null));
        assertTrue(e.getMessage().contains("not a character or block device"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> HostDevice.of(dir.resolve("missing"), null, null));
    }
}
