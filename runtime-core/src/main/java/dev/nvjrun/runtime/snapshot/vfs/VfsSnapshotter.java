package dev.nvjrun.runtime.snapshot.vfs;

import dev.nvjrun.runtime.layer.NativeFiles;
import dev.nvjrun.runtime.snapshot.Mounts;
import dev.nvjrun.runtime.snapshot.SnapshotDirectories;
import dev.nvjrun.runtime.snapshot.SnapshotException;
import dev.nvjrun.runtime.snapshot.Snapshotter;
import dev.nvjrun.runtime.snapshot.WriteDurability;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Plain copies: each snapshot is a full copy of the image's layers in {@code <id>/rootfs},
 * bind-mounted into place. Slow and big, but it works on any file system, including ones
 * where overlay cannot have its upper directory.
 */
public final class VfsSnapshotter implements Snapshotter {

    private final SnapshotDirectories directories;
    private final Mounts mounts;
    private final LayerCopier copier;

    public VfsSnapshotter(Path base, Path tmp, Mounts mounts, NativeFiles nativeFiles) {
        this.directories = new SnapshotDirectories(base, tmp);
        this.mounts = mounts;
        this.copier = new LayerCopier(nativeFiles);
    }

    @Override
    public String name() {
        return "vfs";
    }

    @Override
    public void prepare(String id, List<Path> layers) {
        for (Path layer : layers) {
            if (!Files.isDirectory(layer)) {
                throw new SnapshotException("layer " + layer + " of snapshot " + id + " is missing; pull or load the image again");
            }
        }
        directories.create(id, staging -> {
            Path rootfs = Files.createDirectory(staging.resolve("rootfs"));
            for (Path layer : layers) {
                // layers arrive as links into the layer store; copy what they point at
                copier.apply(layer.toRealPath(), rootfs);
            }
        });
    }

    /** A bind mount of a plain directory: nothing to sync or skip, so both durabilities mount the same way. */
    @Override
    public void mount(String id, Path target, WriteDurability durability) {
        Path rootfs = directories.existing(id).resolve("rootfs");
        Mounts.requireDirectory(target);
        try {
            mounts.mount(rootfs.toString(), target, "none", Mounts.MS_BIND | Mounts.MS_REC, null);
        } catch (IOException e) {
            throw new SnapshotException("cannot mount the root file system of " + id + " on " + target + ": "
                    + e.getMessage() + "; check that the target is a directory you may mount on", e);
        }
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
}
