package dev.nvjrun.driver.edits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ContainerEditsTest {

    private static final ContainerEdits EDITS = new ContainerEdits(List.of(), List.of(), List.of(),
            Map.of("NVIDIA_VISIBLE_DEVICES", "all"), List.of("/usr/local/nvidia/bin"), List.of(), Optional.empty());

    @Test
    void appendsToTheContainersPathOnce() {
        Map<String, String> env = EDITS.applyTo(Map.of("PATH", "/usr/local/nvidia/bin:/usr/bin"));
        assertEquals("/usr/local/nvidia/bin:/usr/bin", env.get("PATH"));
    }

    @Test
    void startsFromTheDefaultPathWhenTheContainerHasNone() {
        assertEquals("/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:/usr/local/nvidia/bin",
                EDITS.applyTo(Map.of()).get("PATH"));
    }

    @Test
    void overridesTheImagesVisibleDevices() {
        assertEquals("all", EDITS.applyTo(Map.of("NVIDIA_VISIBLE_DEVICES", "0")).get("NVIDIA_VISIBLE_DEVICES"));
    }

    @Test
    void isImmutable() {
        assertThrows(UnsupportedOperationException.class, () -> EDITS.environment().put("X", "y"));
        assertThrows(UnsupportedOperationException.class, () -> EDITS.pathAdditions().add("/x"));
    }

    @Test
    void ldconfigRunsOverTheContainerRoot() {
        assertEquals(List.of("/sbin/ldconfig", "-r", "/run/c/rootfs"),
                new LdconfigRun(Path.of("/sbin/ldconfig")).command(Path.of("/run/c/rootfs")));
    }
}
