package dev.nvjrun.runtime.snapshot.overlay;

import dev.nvjrun.runtime.snapshot.Mounts;
import dev.nvjrun.runtime.snapshot.SnapshotDirectories;
import dev.nvjrun.runtime.snapshot.SnapshotException;
import dev.nvjrun.runtime.snapshot.Snapshotter;
import dev.nvjrun.runtime.snapshot.WriteDurability;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Overlay snapshots: {@code <id>/upper} and {@code <id>/work} over the image's layers, which
 * stay shared and read-only. The lower directories are the layer store's short links; when
 * even those overflow the kernel's one-page mount options (a deep image under a long root),
 * the layers are passed one by one through the new mount API instead.
 */
public final class OverlaySnapshotter implements Snapshotter {

    /** The kernel copies mount options into one page. */
    static final int MAX_MOUNT_OPTIONS = 4095;
    private static final String LOWER_FILE = "lower";

    private final SnapshotDirectories directories;
    private final Mounts mounts;

    public OverlaySnapshotter(Path base, Path tmp, Mounts mounts) {
        this.directories = new SnapshotDirectories(base, tmp);
        this.mounts = mounts;
    }

    @Override
    public String name() {
        return "overlay";
    }

    @Override
    public void prepare(String id, List<Path> layers) {
        for (Path layer : layers) {
            if (!Files.isDirectory(layer)) {
                throw new SnapshotException("layer " + layer + " of snapshot " + id
                        + " is missing; pull or load the image again");
            }
            if (layer.toString().contains(":") || layer.toString().contains(",")) {
                throw new SnapshotException("layer path " + layer + " contains ':' or ',', which overlay options cannot carry;"
                        + " use a state root without them");
            }
        }
        directories.create(id, staging -> {
            Files.createDirectory(staging.resolve("upper"));
            Files.createDirectory(staging.resolve("work"));
            List<String> topFirst = new ArrayList<>();
            for (int i = layers.size() - 1; i >= 0; i--) {
                topFirst.add(layers.get(i).toString());
            }
            Files.write(staging.resolve(LOWER_FILE), topFirst, StandardCharsets.UTF_8);
        });
    }

    @Override
    public void mount(String id, Path target, WriteDurability durability) {
        Path snapshot = directories.existing(id);
        Mounts.requireDirectory(target);
        try {
            List<Path> lowers = new ArrayList<>();
            for (String line : Files.readAllLines(snapshot.resolve(LOWER_FILE), StandardCharsets.UTF_8)) {
                if (!line.isBlank()) {
                    lowers.add(Path.of(line));
                }
            }
            if (lowers.isEmpty()) {
                // overlay needs a lower directory even for an image without layers
                Path empty = snapshot.resolve("empty");
                Files.createDirectories(empty);
                lowers.add(empty);
            }
            Path upper = snapshot.resolve("upper");
            Path work = snapshot.resolve("work");
            boolean volatileUpper = durability == WriteDurability.VOLATILE;
            String options = options(lowers, upper, work) + (volatileUpper ? ",volatile" : "");
            if (options.length() <= MAX_MOUNT_OPTIONS) {
                mounts.mount("overlay", target, "overlay", 0, options);
            } else {
                mounts.mountOverlayByParts(lowers, upper, work, target, volatileUpper);
            }
        } catch (IOException e) {
            throw new SnapshotException("cannot mount the root file system of " + id + " on " + target + ": " + e.getMessage()
                    + "; if overlay is not possible on this file system, use --storage-driver vfs", e);
        }
    }

    static String options(List<Path> lowersTopFirst, Path upper, Path work) {
        StringBuilder lower = new StringBuilder();
        for (Path path : lowersTopFirst) {
            if (!lower.isEmpty()) {
                lower.append(':');
            }
            lower.append(path);
        }
        return "lowerdir=" + lower + ",upperdir=" + upper + ",workdir=" + work;
    }

    @Override
    public void unmount(Path target) {
        mounts.unmountRootfs(target);
    }

    @Override
    public void remove(String id) {
        directories.remove(id);
    }

    @Override
    public boolean exists(String id) {
        return directories.exists(id);
    }

    /** The writable layer, where a container's changes land. */
    public Path upper(String id) {
        return directories.existing(id).resolve("upper");
    }
}
