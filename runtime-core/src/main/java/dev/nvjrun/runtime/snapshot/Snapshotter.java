package dev.nvjrun.runtime.snapshot;

import java.nio.file.Path;
import java.util.List;

/**
 * The writable root file system of a container, stacked over an image's unpacked layers.
 * The container code calls, in order: {@link #prepare}, {@link #mount} into the bundle,
 * {@link #unmount} when the container stops and {@link #remove} when it is deleted.
 */
public interface Snapshotter {

    /** The {@code --storage-driver} name. */
    String name();

    /**
     * Creates the snapshot {@code id} over {@code layers}, which are given bottom first (as
     * {@code ImageService.layerPaths} returns them). Fails if the snapshot exists.
     */
    void prepare(String id, List<Path> layers);

    /** Mounts the snapshot's root file system on the existing directory {@code target}, its writes synced. */
    default void mount(String id, Path target) {
        mount(id, target, WriteDurability.SYNCED);
    }

    /** Mounts the snapshot on {@code target}; a driver without a cheaper volatile mode syncs anyway. */
    void mount(String id, Path target, WriteDurability durability);

    /** Unmounts what {@link #mount} put on {@code target}; does nothing if nothing is mounted there. */
    void unmount(Path target);

    /** Deletes the snapshot and its writable layer; it must be unmounted. Missing snapshots are fine. */
    void remove(String id);

    boolean exists(String id);
}
