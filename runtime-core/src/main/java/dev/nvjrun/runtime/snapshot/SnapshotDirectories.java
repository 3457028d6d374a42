package dev.nvjrun.runtime.snapshot;

import dev.nvjrun.runtime.store.FileTree;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * One directory per snapshot under {@code base}, created complete (filled in {@code tmp} and
 * renamed) and removed by renaming into {@code tmp} first, so a crash leaves either a whole
 * snapshot or garbage in {@code tmp} that prune deletes.
 */
public record SnapshotDirectories(Path base, Path tmp) {

    private static final Pattern ID = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]{0,127}");

    /** Work done on the staging directory of a new snapshot. */
    @FunctionalInterface
    public interface Filler {
        void fill(Path staging) throws IOException;
    }

    public Path path(String id) {
        return base.resolve(checkId(id));
    }

    public boolean exists(String id) {
        return Files.isDirectory(path(id));
    }

    public Path existing(String id) {
        Path path = path(id);
        if (!Files.isDirectory(path)) {
            throw new SnapshotException("snapshot " + id + " does not exist under " + base + "; prepare it first");
        }
        return path;
    }

    public Path create(String id, Filler filler) {
        Path target = path(id);
        if (Files.exists(target)) {
            throw new SnapshotException("snapshot " + id + " already exists under " + base
                    + "; remove it first or choose another container id");
        }
        Path staging = null;
        try {
            Files.createDirectories(base);
            Files.createDirectories(tmp);
            staging = Files.createTempDirectory(tmp, "snapshot-");
            filler.fill(staging);
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
            staging = null;
            return target;
        } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
            throw new SnapshotException("snapshot " + id + " was created concurrently; choose another container id", e);
        } catch (IOException e) {
            throw new SnapshotException("cannot prepare snapshot " + id + ": " + e.getMessage()
                    + "; check free space and permissions of " + base, e);
        } finally {
            if (staging != null) {
                try {
                    new FileTree(staging).delete();
                } catch (IOException ignored) {
                    // prune removes what is left in tmp
                }
            }
        }
    }

    public void remove(String id) {
        Path target = path(id);
        if (!Files.exists(target)) {
            return;
        }
        try {
            Files.createDirectories(tmp);
            Path doomed = tmp.resolve("removed-snapshot-" + UUID.randomUUID());
            Files.move(target, doomed, StandardCopyOption.ATOMIC_MOVE);
            new FileTree(doomed).delete();
        } catch (IOException e) {
            throw new SnapshotException("cannot remove snapshot " + id + ": " + e.getMessage()
                    + "; unmount its root file system first", e);
        }
    }

    public static String checkId(String id) {
        if (id == null || !ID.matcher(id).matches()) {
            throw new SnapshotException("snapshot id \"" + id + "\" is invalid; use up to 128 letters, digits, '_', '.' or '-'");
        }
        return id;
    }
}
