package dev.nvjrun.runtime.snapshot.overlay;

import dev.nvjrun.runtime.store.StoreLayout;

import java.nio.file.Path;
import java.util.List;

/** Exposes the option length the overlay snapshotter would pass, so tests can prove which path they take. */
public final class OverlaySnapshotterOptions {
    private OverlaySnapshotterOptions() {
    }

    public static int length(List<Path> lowers, StoreLayout layout) {
        Path snapshot = layout.snapshots().resolve("overlay").resolve("deep");
        return OverlaySnapshotter.options(lowers, snapshot.resolve("upper"), snapshot.resolve("work")).length();
    }
}
