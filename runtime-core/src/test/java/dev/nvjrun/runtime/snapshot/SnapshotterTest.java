package dev.nvjrun.runtime.snapshot;

import dev.nvjrun.runtime.image.Image;
import dev.nvjrun.runtime.image.ImageService;
import dev.nvjrun.runtime.image.OciLayoutFixture;
import dev.nvjrun.runtime.layer.NativeFiles;
import dev.nvjrun.runtime.store.StoreLayout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SnapshotterTest {

    @TempDir
    Path tmp;
    final NativeFiles nativeFiles = new NativeFiles();
    final List<Runnable> cleanups = new ArrayList<>();

    @AfterEach
    void unmountEverything() {
        cleanups.reversed().forEach(Runnable::run);
    }

    private Snapshotter open(StorageDriver driver, StoreLayout layout) {
        Snapshotter snapshotter = driver.open(layout, nativeFiles);
        return snapshotter;
    }

    private Path mountPoint(Snapshotter snapshotter, String name) throws IOException {
        Path target = Files.createDirectories(tmp.resolve(name));
        cleanups.add(() -> snapshotter.unmount(target));
        return target;
    }

    @ParameterizedTest
    @EnumSource(StorageDriver.class)
    void mountsImageRootWithWhiteoutsAppliedAndKeepsLayersReadOnly(StorageDriver driver) throws Exception {
        StoreLayout layout = new StoreLayout(tmp.resolve("root"));
        ImageService images = new ImageService(layout, nativeFiles);
        Image image = images.load(OciLayoutFixture.write(tmp.resolve("layout"), OciLayoutFixture.busyboxLayers(),
                "docker.io/library/busybox:test")).get(0);
        Snapshotter snapshotter = open(driver, layout);
        snapshotter.prepare("c1", images.layerPaths(image));
        Path rootfs = mountPoint(snapshotter, "rootfs");
        snapshotter.mount("c1", rootfs);

        assertArrayEquals(OciLayoutFixture.busybox(), Files.readAllBytes(rootfs.resolve("bin/busybox")));
        assertEquals(Path.of("busybox"), Files.readSymbolicLink(rootfs.resolve("bin/sh")));
        assertFalse(Files.exists(rootfs.resolve("etc/motd"), LinkOption.NOFOLLOW_LINKS), "whiteout hides etc/motd");
        try (Stream<Path> data = Files.list(rootfs.resolve("opt/data"))) {
            assertEquals(List.of(rootfs.resolve("opt/data/new")), data.toList(), "opaque directory hides the lower files");
        }
        String listing = OciLayoutFixture.run("coreutils", "chroot", rootfs.toString(), "/bin/sh", "-c", "cat /opt/data/new; ls /bin");
        assertTrue(listing.startsWith("new\n") && listing.contains("busybox"), listing);

        Files.writeString(rootfs.resolve("etc/written"), "by the container");
        Path lower = images.layerPaths(image).get(0).toRealPath();
        assertFalse(Files.exists(lower.resolve("etc/written")), "image layers stay untouched");
        Files.delete(rootfs.resolve("bin/cat"));
        assertTrue(Files.exists(lower.resolve("bin/cat"), LinkOption.NOFOLLOW_LINKS));

        snapshotter.unmount(rootfs);
        try (Stream<Path> left = Files.list(rootfs)) {
            assertEquals(0, left.count(), "nothing mounted after unmount");
        }
        snapshotter.mount("c1", rootfs);
        assertEquals("by the container", Files.readString(rootfs.resolve("etc/written")), "changes survive a remount");
        snapshotter.unmount(rootfs);
        snapshotter.remove("c1");
        assertFalse(snapshotter.exists("c1"));
        assertTrue(Files.isRegularFile(lower.resolve("bin/busybox")));
        try (Stream<Path> left = Files.list(layout.tmp())) {
            assertEquals(0, left.count(), "no leftovers in tmp");
        }
    }

    @Test
    void removingTheImageKeepsLayersThatAContainerStillUses() throws IOException {
        StoreLayout layout = new StoreLayout(tmp.resolve("root"));
        ImageService images = new ImageService(layout, nativeFiles);
        Image image = images.load(OciLayoutFixture.write(tmp.resolve("layout"), OciLayoutFixture.busyboxLayers(),
                "docker.io/library/busybox:test")).get(0);
        Snapshotter snapshotter = open(StorageDriver.OVERLAY, layout);
        snapshotter.prepare("user", images.layerPaths(image));
        images.remove("busybox:test", false);
        assertEquals(List.of(), images.list());
        Path rootfs = mountPoint(snapshotter, "still-works");
        snapshotter.mount("user", rootfs);
        assertTrue(Files.isRegularFile(rootfs.resolve("bin/busybox")), "the container keeps its root file system");
        snapshotter.unmount(rootfs);
        assertEquals(0, images.prune(java.time.Duration.ZERO), "prune keeps layers in use too");
        snapshotter.remove("user");
        assertEquals(2, images.prune(java.time.Duration.ZERO), "once the container is gone its layers go");
        assertEquals(0, images.diskUsage().layers());
    }

    @Test
    void overlayMountsImagesDeeperThanTheMountOptionPage() throws IOException {
        Path layers = Files.createDirectories(tmp.resolve("a-rather-long-directory-name-for-layers-of-a-deep-image"));
        List<Path> bottomFirst = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            Path layer = Files.createDirectory(layers.resolve("layer-number-" + i));
            Files.writeString(layer.resolve("f" + i), Integer.toString(i));
            Files.writeString(layer.resolve("top"), Integer.toString(i));
            bottomFirst.add(layer);
        }
        StoreLayout layout = new StoreLayout(tmp.resolve("root"));
        Snapshotter snapshotter = open(StorageDriver.OVERLAY, layout);
        snapshotter.prepare("deep", bottomFirst);
        Path rootfs = mountPoint(snapshotter, "deep-rootfs");
        assertTrue(dev.nvjrun.runtime.snapshot.overlay.OverlaySnapshotterOptions.length(bottomFirst, layout) > 4095,
                "the test must exceed one page of options");
        snapshotter.mount("deep", rootfs);
        assertEquals("0", Files.readString(rootfs.resolve("f0")));
        assertEquals("119", Files.readString(rootfs.resolve("f119")));
        assertEquals("119", Files.readString(rootfs.resolve("top")), "the last layer is on top");
    }

    @Test
    void volatileOverlayMountsSkipSyncingAndSyncedOnesDoNot() throws IOException {
        Path layer = Files.createDirectories(tmp.resolve("layer"));
        Files.writeString(layer.resolve("f"), "lower");
        StoreLayout layout = new StoreLayout(tmp.resolve("root"));
        Snapshotter snapshotter = open(StorageDriver.OVERLAY, layout);
        snapshotter.prepare("ephemeral", List.of(layer));
        snapshotter.prepare("kept", List.of(layer));
        Path ephemeral = mountPoint(snapshotter, "ephemeral-rootfs");
        Path kept = mountPoint(snapshotter, "kept-rootfs");
        snapshotter.mount("ephemeral", ephemeral, WriteDurability.VOLATILE);
        snapshotter.mount("kept", kept);

        assertTrue(superOptions(ephemeral).contains("volatile"), superOptions(ephemeral));
        assertFalse(superOptions(kept).contains("volatile"), superOptions(kept));
        Files.writeString(ephemeral.resolve("f"), "written");
        assertEquals("written", Files.readString(ephemeral.resolve("f")));
        assertEquals("lower", Files.readString(layer.resolve("f")));
        snapshotter.unmount(ephemeral);
        snapshotter.remove("ephemeral");
        assertFalse(snapshotter.exists("ephemeral"), "a volatile snapshot's work directory does not block its removal");
    }

    @Test
    void volatileOverlayByPartsToo() throws IOException {
        Path layers = Files.createDirectories(tmp.resolve("a-rather-long-directory-name-for-layers-of-a-deep-image"));
        List<Path> bottomFirst = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            bottomFirst.add(Files.createDirectory(layers.resolve("layer-number-" + i)));
        }
        StoreLayout layout = new StoreLayout(tmp.resolve("root"));
        Snapshotter snapshotter = open(StorageDriver.OVERLAY, layout);
        snapshotter.prepare("deep", bottomFirst);
        Path rootfs = mountPoint(snapshotter, "deep-rootfs");
        snapshotter.mount("deep", rootfs, WriteDurability.VOLATILE);
        assertTrue(superOptions(rootfs).contains("volatile"), superOptions(rootfs));
    }

    /** The file system's own options of the mount on {@code target}, as /proc/self/mountinfo lists them. */
    private static String superOptions(Path target) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            String[] halves = line.split(" - ");
            if (halves[0].split(" ")[4].equals(target.toString())) {
                return halves[1];
            }
        }
        throw new AssertionError("nothing is mounted on " + target);
    }

    @Test
    void refusesBadIdsDuplicatesAndMissingSnapshots() throws IOException {
        StoreLayout layout = new StoreLayout(tmp.resolve("root"));
        Snapshotter snapshotter = open(StorageDriver.OVERLAY, layout);
        SnapshotException bad = assertThrows(SnapshotException.class, () -> snapshotter.prepare("../escape", List.of()));
        assertTrue(bad.getMessage().contains("is invalid"), bad.getMessage());
        snapshotter.prepare("one", List.of());
        SnapshotException twice = assertThrows(SnapshotException.class, () -> snapshotter.prepare("one", List.of()));
        assertTrue(twice.getMessage().contains("already exists"), twice.getMessage());
        Path target = mountPoint(snapshotter, "m");
        SnapshotException missing = assertThrows(SnapshotException.class, () -> snapshotter.mount("nope", target));
        assertTrue(missing.getMessage().contains("prepare it first"), missing.getMessage());
        SnapshotException noLayer = assertThrows(SnapshotException.class,
                () -> snapshotter.prepare("two", List.of(tmp.resolve("absent"))));
        assertTrue(noLayer.getMessage().contains("is missing"), noLayer.getMessage());
        assertFalse(snapshotter.exists("two"));
        snapshotter.mount("one", target);
        Files.writeString(target.resolve("x"), "empty images still get a writable root");
        snapshotter.unmount(target);
    }

    @Test
    void parsesStorageDriverNames() {
        assertEquals(StorageDriver.OVERLAY, StorageDriver.parse(null));
        assertEquals(StorageDriver.OVERLAY, StorageDriver.parse("overlay2"));
        assertEquals(StorageDriver.VFS, StorageDriver.parse("VFS"));
        SnapshotException e = assertThrows(SnapshotException.class, () -> StorageDriver.parse("btrfs"));
        assertTrue(e.getMessage().contains("[overlay, vfs]"), e.getMessage());
    }
}
