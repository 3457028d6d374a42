package dev.nvjrun.launcher.container;

import dev.nvjrun.runtime.json.JsonDocument;
import dev.nvjrun.runtime.json.RecordCodec;
import dev.nvjrun.runtime.layer.NativeFiles;
import dev.nvjrun.runtime.snapshot.Snapshotter;
import dev.nvjrun.runtime.snapshot.StorageDriver;
import dev.nvjrun.runtime.snapshot.WriteDurability;
import dev.nvjrun.runtime.store.RandomBytes;
import dev.nvjrun.runtime.store.StoreLayout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;

/**
 * A container's root file system: a snapshot over the image's layers, mounted on the host at
 * {@code <root>/rootfs/<driver>/<snapshot id>} for as long as the container exists. The mount point names
 * the driver and the snapshot, so the container's spec (its rootfs path) is all {@code rm} needs to undo it.
 */
record ContainerRootfs(StorageDriver driver, String snapshotId, Path mountPoint) {
    private static final JsonDocument<Origin> ORIGIN = RecordCodec.builder().build().document(Origin.class);

    /** What the container was made from, for ps and inspect; kept next to the mount point. */
    record Origin(String image, String imageId, boolean tty) {
    }

    static Path mountRoot(StoreLayout layout) {
        return layout.root().resolve("rootfs");
    }

    /** Prepares and mounts a new snapshot; on failure nothing is left behind. */
    static ContainerRootfs create(StoreLayout layout, StorageDriver driver, List<Path> layers, Origin origin, WriteDurability durability) {
        String id = HexFormat.of().formatHex(RandomBytes.of(16));
        Path mountPoint = mountRoot(layout).resolve(driver.driverName()).resolve(id);
        Snapshotter snapshotter = driver.open(layout, new NativeFiles());
        snapshotter.prepare(id, layers);
        try {
            Files.createDirectories(mountPoint);
            Files.write(originFile(mountPoint), ORIGIN.write(origin));
            snapshotter.mount(id, mountPoint, durability);
        } catch (IOException | RuntimeException e) {
            deleteQuietly(originFile(mountPoint));
            deleteQuietly(mountPoint);
            snapshotter.remove(id);
            if (e instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException("cannot create the mount point " + mountPoint + ": " + e.getMessage(), e);
        }
        return new ContainerRootfs(driver, id, mountPoint);
    }

    /** The root file system behind a container's rootfs path, or null when it is not one of ours (or already gone). */
    static ContainerRootfs of(StoreLayout layout, Path rootfs) {
        if (rootfs == null || rootfs.getParent() == null || !mountRoot(layout).equals(rootfs.getParent().getParent())) {
            return null;
        }
        StorageDriver driver = StorageDriver.parse(rootfs.getParent().getFileName().toString());
        return new ContainerRootfs(driver, rootfs.getFileName().toString(), rootfs);
    }

    /** Every mounted or half-removed root file system under the state root. */
    static List<ContainerRootfs> all(StoreLayout layout) {
        List<ContainerRootfs> found = new ArrayList<>();
        for (StorageDriver driver : StorageDriver.values()) {
            Path dir = mountRoot(layout).resolve(driver.driverName());
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (var entries = Files.list(dir)) {
                entries.filter(Files::isDirectory).forEach(p -> found.add(new ContainerRootfs(driver, p.getFileName().toString(), p)));
            } catch (IOException e) {
                throw new IllegalStateException("cannot list " + dir + ": " + e.getMessage(), e);
            }
        }
        return found;
    }

    /** Mounts the snapshot again when the host lost the mount (a reboot empties the mount table). */
    void ensureMounted(StoreLayout layout) {
        if (!isMountPoint(mountPoint)) {
            driver.open(layout, new NativeFiles()).mount(snapshotId, mountPoint);
        }
    }

    /** Unmounts and deletes the snapshot and its mount point; what is already gone is fine. */
    void remove(StoreLayout layout) {
        Snapshotter snapshotter = driver.open(layout, new NativeFiles());
        if (isMountPoint(mountPoint)) {
            snapshotter.unmount(mountPoint);
        }
        deleteQuietly(mountPoint);
        deleteQuietly(originFile(mountPoint));
        snapshotter.remove(snapshotId);
    }

    Origin origin() {
        try {
            return ORIGIN.read(Files.readAllBytes(originFile(mountPoint)));
        } catch (IOException e) {
            return new Origin("", "", false);
        }
    }

    private static Path originFile(Path mountPoint) {
        return mountPoint.resolveSibling(mountPoint.getFileName() + ".json");
    }

    /** Seconds since the snapshot was made (written once: its origin file), to spare ones being set up now. */
    long ageSeconds() {
        try {
            FileTime t = Files.getLastModifiedTime(originFile(mountPoint));
            return (System.currentTimeMillis() - t.toMillis()) / 1000;
        } catch (IOException e) {
            return Long.MAX_VALUE;
        }
    }

    /**
     * Removes the root file systems no container uses any more: those of {@code run -d --rm}
     * containers, which remove their own state when they exit, and of commands that were killed.
     * Ones younger than a minute may belong to a container being created right now and stay.
     */
    static int removeUnused(StoreLayout layout, Collection<Path> inUse) {
        int removed = 0;
        for (ContainerRootfs rootfs : all(layout)) {
            if (!inUse.contains(rootfs.mountPoint()) && rootfs.ageSeconds() > 60) {
                rootfs.remove(layout);
                removed++;
            }
        }
        return removed;
    }

    static boolean isMountPoint(Path path) {
        try {
            String wanted = path.toString();
            for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
                String[] fields = line.split(" ");
                if (fields.length > 4 && unescape(fields[4]).equals(wanted)) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /proc/self/mountinfo: " + e.getMessage() + "; is /proc mounted?", e);
        }
    }

    private static String unescape(String field) {
        return field.replace("\\040", " ").replace("\\011", "\t").replace("\\012", "\n").replace("\\134", "\\");
    }

    private static void deleteQuietly(Path dir) {
        try {
            Files.deleteIfExists(dir);
        } catch (IOException ignored) {
            // a mount point that is still busy stays; the sweep of later commands retries
        }
    }
}
