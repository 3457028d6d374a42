package dev.nvjrun.launcher.container;

import dev.nvjrun.runtime.snapshot.StorageDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The origin file next to a container's root file system: what ps and inspect show as its image. */
class ContainerRootfsOriginTest {
    @TempDir
    Path root;

    @Test
    void readsTheOriginFileTheDataBindingVersionWrote() throws Exception {
        Path mountPoint = root.resolve("rootfs/overlay/abc");
        Files.createDirectories(mountPoint.getParent());
        try (InputStream in = getClass().getResourceAsStream("/json/databind-0444368/origin.json")) {
            Files.write(mountPoint.resolveSibling("abc.json"), in.readAllBytes());
        }
        ContainerRootfs rootfs = new ContainerRootfs(StorageDriver.OVERLAY, "abc", mountPoint);
        assertEquals(new ContainerRootfs.Origin("busybox:bench",
                "sha256:b1f2af562fb68a13ce8ee12b62a6251a5d61686dd407eb1a33104df1473f1bd5", true), rootfs.origin());
    }

    @Test
    void aDamagedOriginFileReadsAsUnknownRatherThanFailingPs() throws Exception {
        Path mountPoint = root.resolve("rootfs/overlay/def");
        Files.createDirectories(mountPoint.getParent());
        Files.writeString(mountPoint.resolveSibling("def.json"), "{\"image\":\"busy");
        assertEquals(new ContainerRootfs.Origin("", "", false), new ContainerRootfs(StorageDriver.OVERLAY, "def", mountPoint).origin());
    }
}
