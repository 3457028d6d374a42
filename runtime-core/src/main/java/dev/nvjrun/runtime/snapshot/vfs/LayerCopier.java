package dev.nvjrun.runtime.snapshot.vfs;

import dev.nvjrun.runtime.layer.NativeFiles;
import dev.nvjrun.runtime.store.FileTree;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Applies one unpacked layer onto a plain directory the way overlay would show it: files
 * replace files, a 0/0 character device deletes what it names, an opaque directory hides
 * everything below it from earlier layers. Owners, modes, times, extended attributes, device
 * nodes and hard links (within the layer) are kept.
 */
final class LayerCopier {

    private static final String OPAQUE = "trusted.overlay.opaque";
    private static final int S_IFMT = 0170000;

    private final NativeFiles nativeFiles;

    LayerCopier(NativeFiles nativeFiles) {
        this.nativeFiles = nativeFiles;
    }

    void apply(Path layer, Path rootfs) throws IOException {
        Map<Object, Path> copiedInodes = new HashMap<>();
        Files.walkFileTree(layer, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Path target = rootfs.resolve(layer.relativize(dir).toString());
                if (dir.equals(layer)) {
                    return FileVisitResult.CONTINUE;
                }
                boolean opaque = nativeFiles.lgetxattr(dir, OPAQUE).map(v -> v.length == 1 && v[0] == 'y').orElse(false);
                if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
                    if (opaque) {
                        clear(target);
                    }
                } else {
                    new FileTree(target).delete();
                    Files.createDirectory(target);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Path target = rootfs.resolve(layer.relativize(file).toString());
                int mode = (int) Files.getAttribute(file, "unix:mode", LinkOption.NOFOLLOW_LINKS);
                long rdev = (long) Files.getAttribute(file, "unix:rdev", LinkOption.NOFOLLOW_LINKS);
                new FileTree(target).delete();
                if ((mode & S_IFMT) == NativeFiles.S_IFCHR && rdev == 0) {
                    return FileVisitResult.CONTINUE; // a whiteout: the deletion above is all it means
                }
                int links = (int) Files.getAttribute(file, "unix:nlink", LinkOption.NOFOLLOW_LINKS);
                Object inode = attrs.fileKey();
                if (links > 1 && !attrs.isDirectory() && copiedInodes.containsKey(inode)) {
                    Files.createLink(target, copiedInodes.get(inode));
                    return FileVisitResult.CONTINUE;
                }
                if (attrs.isSymbolicLink()) {
                    Files.createSymbolicLink(target, Files.readSymbolicLink(file));
                } else if (attrs.isRegularFile()) {
                    Files.copy(file, target, StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
                } else {
                    nativeFiles.mknod(target, mode, major(rdev), minor(rdev));
                }
                copyMetadata(file, target, attrs.isSymbolicLink(), mode, attrs.lastModifiedTime());
                if (links > 1) {
                    copiedInodes.put(inode, target);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                if (exc != null) {
                    throw exc;
                }
                Path target = rootfs.resolve(layer.relativize(dir).toString());
                int mode = (int) Files.getAttribute(dir, "unix:mode", LinkOption.NOFOLLOW_LINKS);
                copyMetadata(dir, target, false, mode, Files.getLastModifiedTime(dir, LinkOption.NOFOLLOW_LINKS));
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private void copyMetadata(Path source, Path target, boolean symlink, int mode, FileTime mtime) throws IOException {
        int uid = (int) Files.getAttribute(source, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        int gid = (int) Files.getAttribute(source, "unix:gid", LinkOption.NOFOLLOW_LINKS);
        nativeFiles.lchown(target, uid, gid);
        if (!symlink) {
            nativeFiles.chmod(target, mode);
            for (String name : nativeFiles.llistxattr(source)) {
                if (name.startsWith("trusted.overlay.")) {
                    continue;
                }
                Optional<byte[]> value = nativeFiles.lgetxattr(source, name);
                if (value.isPresent()) {
                    nativeFiles.lsetxattr(target, name, value.get());
                }
            }
        }
        nativeFiles.lutimes(target, mtime.toInstant().getEpochSecond(), mtime.toInstant().getNano());
    }

    private static void clear(Path dir) throws IOException {
        try (var children = Files.list(dir)) {
            for (Path child : children.toList()) {
                new FileTree(child).delete();
            }
        }
    }

    private static int major(long rdev) {
        return (int) (((rdev >>> 8) & 0xfff) | ((rdev >>> 32) & 0xfffff000L));
    }

    private static int minor(long rdev) {
        return (int) ((rdev & 0xff) | ((rdev >>> 12) & 0xffffff00L));
    }
}
