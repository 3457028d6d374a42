package dev.nvjrun.driver.edits;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.nvjrun.driver.HostRoots;
import dev.nvjrun.driver.catalog.Capability;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GraphicsConfigFilesTest {

    @TempDir
    Path root;
    HostRoots roots;

    @BeforeEach
    void writeLoaderFiles() throws Exception {
        roots = HostRoots.under(root);
        for (String path : List.of("/usr/share/vulkan/icd.d/nvidia_icd.json", "/usr/share/glvnd/egl_vendor.d/10_nvidia.json",
                "/usr/share/egl/egl_external_platform.d/15_nvidia_gbm.json")) {
            Path p = roots.inDriverRoot(path);
            Files.createDirectories(p.getParent());
            Files.writeString(p, "{}");
        }
    }

    private List<String> targets(Set<Capability> caps) {
        return GraphicsConfigFiles.find(roots, caps).stream().map(Mount::containerPath).toList();
    }

    @Test
    void graphicsGetsTheIcdVendorAndPlatformFilesThatExist() {
        assertEquals(List.of("/usr/share/vulkan/icd.d/nvidia_icd.json", "/usr/share/glvnd/egl_vendor.d/10_nvidia.json",
                "/usr/share/egl/egl_external_platform.d/15_nvidia_gbm.json"), targets(Set.of(Capability.GRAPHICS)));
    }

    @Test
    void displayGetsOnlyThePlatformFiles() {
        assertEquals(List.of("/usr/share/egl/egl_external_platform.d/15_nvidia_gbm.json"), targets(Set.of(Capability.DISPLAY)));
    }

    @Test
    void computeGetsNone() {
        assertEquals(List.of(), targets(Set.of(Capability.COMPUTE, Capability.UTILITY)));
    }

    @Test
    void mountsThemReadOnlyFromTheDriverRoot() {
        Mount.Bind b = GraphicsConfigFiles.find(roots, Set.of(Capability.GRAPHICS)).getFirst();
        assertEquals(root.resolve("usr/share/vulkan/icd.d/nvidia_icd.json"), b.hostPath());
        assertEquals(true, b.readOnly());
    }
}
