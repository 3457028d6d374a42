package dev.nvjrun.runtime.snapshot;

import dev.nvjrun.runtime.layer.NativeFiles;
import dev.nvjrun.runtime.snapshot.overlay.OverlaySnapshotter;
import dev.nvjrun.runtime.snapshot.vfs.VfsSnapshotter;
import dev.nvjrun.runtime.store.StoreLayout;

import java.util.Arrays;
import java.util.Locale;

/** The snapshotters {@code --storage-driver} chooses from; overlay is the default. */
public enum StorageDriver {
    OVERLAY, VFS;

    public static final StorageDriver DEFAULT = OVERLAY;

    public static StorageDriver parse(String name) {
        if (name == null || name.isBlank()) {
            return DEFAULT;
        }
        String wanted = name.strip().toLowerCase(Locale.ROOT);
        if (wanted.equals("overlay2") || wanted.equals("overlayfs")) {
            return OVERLAY;
        }
        for (StorageDriver driver : values()) {
            if (driver.driverName().equals(wanted)) {
                return driver;
            }
        }
        throw new SnapshotException("storage driver \"" + name + "\" is unknown; use one of "
                + Arrays.stream(values()).map(StorageDriver::driverName).toList());
    }

    public String driverName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public Snapshotter open(StoreLayout layout, NativeFiles nativeFiles) {
        Mounts mounts = new Mounts();
        return switch (this) {
            case OVERLAY -> new OverlaySnapshotter(layout.snapshots().resolve("overlay"), layout.tmp(), mounts);
            case VFS -> new VfsSnapshotter(layout.snapshots().resolve("vfs"), layout.tmp(), mounts, nativeFiles);
        };
    }
}
