package dev.nvjrun.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class HostRootsTest {

    @Test
    void resolvesHostPathsUnderEachRoot() {
        HostRoots roots = new HostRoots(Path.of("/drv"), Path.of("/devs"), Path.of("/p"));
        assertEquals(Path.of("/drv/usr/lib/libcuda.so.1"), roots.inDriverRoot("/usr/lib/libcuda.so.1"));
        assertEquals(Path.of("/devs/dev/nvidia0"), roots.inDevRoot("//dev/nvidia0"));
        assertEquals(Path.of("/drv"), roots.inDriverRoot("/"));
    }

    @Test
    void placesProcInsideASimulatedRoot() {
        HostRoots roots = HostRoots.under(Path.of("/tmp/host"));
        assertEquals(new HostRoots(Path.of("/tmp/host"), Path.of("/tmp/host"), Path.of("/tmp/host/proc")), roots);
        assertEquals(new HostRoots(Path.of("/"), Path.of("/"), Path.of("/proc")), HostRoots.system());
    }
}
