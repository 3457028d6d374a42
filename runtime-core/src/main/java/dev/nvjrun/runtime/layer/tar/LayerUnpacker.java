package dev.nvjrun.runtime.layer.tar;

import dev.nvjrun.runtime.layer.LayerFormatException;
import dev.nvjrun.runtime.layer.NativeFiles;
import dev.nvjrun.runtime.layer.UnsafeLayerException;
import dev.nvjrun.runtime.store.Digest;
import dev.nvjrun.runtime.store.FileTree;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Unpacks one layer (a tar stream, plain, gzip or zstd) into a directory in the form overlayfs
 * reads: owners, modes with set-uid bits, times, extended attributes, hard and symbolic links
 * and device nodes as recorded; whiteouts as 0/0 character devices and opaque directories as
 * {@code trusted.overlay.opaque=y}.
 *
 * <p>The archive is untrusted. Every entry name is checked lexically (no absolute paths, no
 * {@code ..}), every parent directory is checked to be a real directory and not a symbolic link
 * (so a link planted by an earlier entry is never written through), and hard links must point at
 * an entry already inside the layer. The caller unpacks into a fresh private directory and
 * deletes it when this throws.
 */
public final class LayerUnpacker {

    /** What unpacking found: the digest of the uncompressed tar (the layer's diff id). */
    public record Result(Digest diffId, long uncompressedBytes, int entries) {
    }

    private record DirectoryTime(Path path, long seconds, long nanos) {
    }

    private static final int RECORD = 512;
    private static final int MAX_NAME_BYTES = 4096;
    private static final int MAX_XATTR_BYTES = 64 * 1024;
    private static final String WHITEOUT_PREFIX = ".wh.";
    private static final String OPAQUE_MARKER = ".wh..wh..opq";
    private static final String OVERLAY_OPAQUE = "trusted.overlay.opaque";
    private static final String OVERLAY_XATTRS = "trusted.overlay.";
    private static final String PAX_XATTR = "SCHILY.xattr.";
    private static final String LIBARCHIVE_XATTR = "LIBARCHIVE.xattr.";

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(LayerUnpacker.class);

    private final NativeFiles nativeFiles;

    public LayerUnpacker(NativeFiles nativeFiles) {
        this.nativeFiles = nativeFiles;
    }

    /** Unpacks {@code layer} into the existing directory {@code target}, named {@code what} in errors. */
    public Result unpack(InputStream layer, Path target, String what) {
        MessageDigest sha256 = Digest.newSha256();
        Run run = new Run(target.toAbsolutePath().normalize(), what);
        String current = "(archive start)";
        try {
            DigestInputStream hashed = new DigestInputStream(Compression.decompress(layer), sha256);
            CountingInput counted = new CountingInput(hashed);
            TarArchiveInputStream tar = new TarArchiveInputStream(counted, StandardCharsets.UTF_8.name());
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                current = entry.getName();
                run.apply(entry, tar);
            }
            // The diff id covers the whole uncompressed stream, end-of-archive padding included.
            counted.transferTo(OutputStream.nullOutputStream());
            if (counted.count % RECORD != 0) {
                // commons-compress takes a short final record for the end of the archive
                throw new IOException("the archive ends inside a 512-byte tar record after " + counted.count + " bytes");
            }
            run.finishDirectories();
            return new Result(Digest.fromHash(sha256), counted.count, run.entries);
        } catch (UnsafeLayerException e) {
            throw e;
        } catch (IOException | IllegalArgumentException e) {
            throw new LayerFormatException(what + " is truncated or corrupt at entry \"" + current + "\" (" + e.getMessage()
                    + "); the archive is damaged, fetch or export it again", e);
        }
    }

    /** State of one unpack: directories known to be real, deferred directory times. */
    private final class Run {
        private final Path root;
        private final String what;
        private final Set<Path> realDirectories = new HashSet<>();
        private final List<DirectoryTime> directoryTimes = new ArrayList<>();
        private int entries;

        Run(Path root, String what) {
            this.root = root;
            this.what = what;
            realDirectories.add(root);
        }

        void apply(TarArchiveEntry entry, InputStream content) throws IOException {
            entries++;
            String name = entry.getName();
            Path relative = checkedRelative(name, "entry");
            if (relative == null) {
                return; // the layer root itself ("./")
            }
            String base = relative.getFileName().toString();
            if (base.equals(OPAQUE_MARKER)) {
                Path directory = ensureParents(relative, name);
                nativeFiles.lsetxattr(directory, OVERLAY_OPAQUE, "y".getBytes(StandardCharsets.US_ASCII));
                return;
            }
            if (base.startsWith(WHITEOUT_PREFIX + WHITEOUT_PREFIX)) {
                return; // aufs bookkeeping (.wh..wh.plnk and the like) has no meaning for overlay
            }
            if (base.startsWith(WHITEOUT_PREFIX)) {
                Path parent = ensureParents(relative, name);
                Path hidden = parent.resolve(base.substring(WHITEOUT_PREFIX.length()));
                removeExisting(hidden);
                nativeFiles.mknod(hidden, NativeFiles.S_IFCHR, 0, 0);
                return;
            }
            ensureParents(relative, name);
            Path path = root.resolve(relative);
            if (entry.isDirectory()) {
                if (!Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
                    removeExisting(path);
                    Files.createDirectory(path);
                }
                realDirectories.add(path);
                applyMetadata(entry, path, false);
                return;
            }
            if (entry.isLink()) {
                Path linkTarget = checkedRelative(entry.getLinkName(), "hard link target of " + name);
                if (linkTarget == null) {
                    throw unsafe(name, "is a hard link to the layer root");
                }
                Path source = root.resolve(linkTarget);
                checkParentsReal(linkTarget, name);
                if (!Files.exists(source, LinkOption.NOFOLLOW_LINKS) || Files.isDirectory(source, LinkOption.NOFOLLOW_LINKS)) {
                    throw unsafe(name, "is a hard link to \"" + entry.getLinkName()
                            + "\", which is not a file earlier in this layer");
                }
                removeExisting(path);
                Files.createLink(path, source);
                return;
            }
            removeExisting(path);
            if (entry.isSymbolicLink()) {
                String target = checkedName(entry.getLinkName());
                if (target.isEmpty()) {
                    throw unsafe(name, "is a symbolic link with an empty target");
                }
                Files.createSymbolicLink(path, Path.of(target));
                applyMetadata(entry, path, true);
            } else if (entry.isCharacterDevice() || entry.isBlockDevice() || entry.isFIFO()) {
                int type = entry.isCharacterDevice() ? NativeFiles.S_IFCHR
                        : entry.isBlockDevice() ? NativeFiles.S_IFBLK : NativeFiles.S_IFIFO;
                nativeFiles.mknod(path, type | (entry.getMode() & 07777), entry.getDevMajor(), entry.getDevMinor());
                applyMetadata(entry, path, false);
            } else if (isRegularFile(entry)) {
                try (OutputStream out = Files.newOutputStream(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                    long copied = content.transferTo(out);
                    if (copied != entry.getSize()) {
                        throw new IOException("file content ends after " + copied + " of " + entry.getSize() + " bytes");
                    }
                }
                applyMetadata(entry, path, false);
            } else {
                throw new LayerFormatException(what + " has entry \"" + name + "\" of unsupported tar type '"
                        + (char) entry.getLinkFlag() + "'; rebuild the layer with a POSIX tar", null);
            }
        }

        private void applyMetadata(TarArchiveEntry entry, Path path, boolean symlink) throws IOException {
            nativeFiles.lchown(path, entry.getLongUserId(), entry.getLongGroupId());
            if (!symlink) {
                // after chown, which clears set-uid bits
                nativeFiles.chmod(path, entry.getMode());
            }
            for (Map.Entry<String, String> header : entry.getExtraPaxHeaders().entrySet()) {
                String key = header.getKey();
                if (key.startsWith(PAX_XATTR)) {
                    String value = header.getValue();
                    if (value.indexOf('\uFFFD') >= 0) {
                        // commons-compress decodes PAX values as UTF-8, so raw binary values arrive damaged;
                        // a damaged security.capability must not be set, and a missing one only withholds privilege
                        LOG.warn("{}: entry \"{}\": extended attribute {} holds binary data that cannot be read exactly; skipped",
                                what, entry.getName(), key.substring(PAX_XATTR.length()));
                        continue;
                    }
                    setXattr(entry, path, key.substring(PAX_XATTR.length()), value.getBytes(StandardCharsets.UTF_8));
                } else if (key.startsWith(LIBARCHIVE_XATTR)) {
                    setXattr(entry, path, key.substring(LIBARCHIVE_XATTR.length()), Base64.getDecoder().decode(header.getValue()));
                }
            }
            FileTime mtime = entry.getLastModifiedTime();
            long seconds = mtime.toInstant().getEpochSecond();
            long nanos = mtime.toInstant().getNano();
            if (entry.isDirectory()) {
                directoryTimes.add(new DirectoryTime(path, seconds, nanos));
            } else {
                nativeFiles.lutimes(path, seconds, nanos);
            }
        }

        private void setXattr(TarArchiveEntry entry, Path path, String name, byte[] value) throws IOException {
        if (name.startsWith(OVERLAY_XATTRS)) {
            // overlay's own attributes (redirect, metacopy, opaque) would let a layer steer the mount; only whiteouts may set them
            throw new UnsafeLayerException(what + " is refused: entry \"" + entry.getName() + "\" carries the overlay attribute "
                    + name + "; the archive is hostile or was exported from an overlay mount, nothing outside the layer was touched");
        }
            if (value.length > MAX_XATTR_BYTES) {
                throw new LayerFormatException(what + " has entry \"" + entry.getName() + "\" with an extended attribute "
                        + name + " of " + value.length + " bytes, over the limit of " + MAX_XATTR_BYTES
                        + "; the archive is malformed", null);
            }
            nativeFiles.lsetxattr(path, name, value);
        }

        void finishDirectories() throws IOException {
            // children change their parent's mtime, so directories get theirs last, deepest first
            for (int i = directoryTimes.size() - 1; i >= 0; i--) {
                DirectoryTime item = directoryTimes.get(i);
                nativeFiles.lutimes(item.path(), item.seconds(), item.nanos());
            }
        }

        /** The entry's path relative to the layer root, or null for the root; refuses escapes. */
        private Path checkedRelative(String name, String role) {
            checkedName(name);
            if (name.startsWith("/")) {
                throw unsafe(name, "(" + role + ") is an absolute path");
            }
            Path relative = null;
            for (String component : name.split("/")) {
                if (component.isEmpty() || component.equals(".")) {
                    continue;
                }
                if (component.equals("..")) {
                    throw unsafe(name, "(" + role + ") climbs out of the layer with \"..\"");
                }
                relative = relative == null ? Path.of(component) : relative.resolve(component);
            }
            return relative;
        }

        private String checkedName(String name) {
            if (name.indexOf('\0') >= 0) {
                throw unsafe(name.replace('\0', '?'), "contains a NUL character");
            }
            if (name.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
                throw new LayerFormatException(what + " has an entry name of more than " + MAX_NAME_BYTES
                        + " bytes; the archive is malformed or hostile", null);
            }
            return name;
        }

        /** Makes every parent of {@code relative} a real directory; returns the immediate parent. */
        private Path ensureParents(Path relative, String name) throws IOException {
            Path current = root;
            Path parent = relative.getParent();
            if (parent == null) {
                return root;
            }
            for (Path component : parent) {
                current = current.resolve(component);
                if (realDirectories.contains(current)) {
                    continue;
                }
                BasicFileAttributes attributes = attributesOrNull(current);
                if (attributes == null) {
                    Files.createDirectory(current);
                } else if (attributes.isSymbolicLink()) {
                    throw unsafe(name, "would be written through the symbolic link \"" + root.relativize(current) + "\"");
                } else if (!attributes.isDirectory()) {
                    throw unsafe(name, "has \"" + root.relativize(current) + "\" as parent, which is not a directory");
                }
                realDirectories.add(current);
            }
            return current;
        }

        private void checkParentsReal(Path relative, String name) throws IOException {
            Path current = root;
            Path parent = relative.getParent();
            if (parent == null) {
                return;
            }
            for (Path component : parent) {
                current = current.resolve(component);
                BasicFileAttributes attributes = attributesOrNull(current);
                if (attributes == null || attributes.isSymbolicLink() || !attributes.isDirectory()) {
                    throw unsafe(name, "is a hard link whose target path passes through \"" + root.relativize(current)
                            + "\", which is not a real directory of this layer");
                }
            }
        }

        private void removeExisting(Path path) throws IOException {
            BasicFileAttributes attributes = attributesOrNull(path);
            if (attributes == null) {
                return;
            }
            if (attributes.isDirectory()) {
                new FileTree(path).delete();
                realDirectories.removeIf(known -> known.startsWith(path));
            } else {
                Files.delete(path);
            }
        }

        private UnsafeLayerException unsafe(String name, String reason) {
            return new UnsafeLayerException(what + " is refused: entry \"" + name + "\" " + reason
                    + "; the archive is hostile or broken, nothing outside the layer was touched");
        }
    }

    private static boolean isRegularFile(TarArchiveEntry entry) {
        byte type = entry.getLinkFlag();
        return type == TarArchiveEntry.LF_NORMAL || type == TarArchiveEntry.LF_OLDNORM
                || type == TarArchiveEntry.LF_CONTIG;
    }

    private static BasicFileAttributes attributesOrNull(Path path) throws IOException {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (java.nio.file.NoSuchFileException e) {
            return null;
        }
    }

    /** Counts uncompressed bytes for the result. */
    private static final class CountingInput extends java.io.FilterInputStream {
        long count;

        CountingInput(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            // skipping would bypass the digest; read instead
            byte[] buffer = new byte[(int) Math.min(n, 8192)];
            int read = read(buffer, 0, buffer.length);
            return Math.max(read, 0);
        }
    }
}
