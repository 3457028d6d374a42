package dev.nvjrun.runtime.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Content-addressed blobs under {@code blobs/sha256/<hex>}. A blob is written to the ingest
 * directory, hashed on the way, and renamed into place only when its digest is right, so a
 * reader never sees a partial or wrong blob. Concurrent writers of the same blob are harmless:
 * both produce identical content and the second rename replaces the first.
 */
public final class ContentStore {

    private final StoreLayout layout;

    public ContentStore(StoreLayout layout) {
        this.layout = layout;
    }

    public boolean contains(Digest digest) {
        return Files.isRegularFile(path(digest));
    }

    public Path path(Digest digest) {
        return layout.blobs().resolve(digest.hex());
    }

    public long size(Digest digest) {
        try {
            return Files.size(path(digest));
        } catch (IOException e) {
            throw missing(digest, e);
        }
    }

    public InputStream open(Digest digest) {
        try {
            return Files.newInputStream(path(digest));
        } catch (NoSuchFileException e) {
            throw missing(digest, e);
        } catch (IOException e) {
            throw new StoreException("cannot read blob " + digest + ": " + e.getMessage(), e);
        }
    }

    public byte[] read(Digest digest) {
        try (InputStream in = open(digest)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new StoreException("cannot read blob " + digest + ": " + e.getMessage(), e);
        }
    }

    /** Stores bytes whose digest is computed here. */
    public Digest put(byte[] content) {
        Digest digest = Digest.of(content);
        ingest(new java.io.ByteArrayInputStream(content), digest, content.length);
        return digest;
    }

    /** Stores a stream whose digest is computed while it is copied. */
    public Digest put(InputStream content) {
        return write(content, null, -1);
    }

    /**
     * Stores a stream that must hash to {@code expected} (and, when {@code expectedSize >= 0},
     * have that many bytes); refuses it otherwise and leaves nothing behind.
     */
    public Digest ingest(InputStream content, Digest expected, long expectedSize) {
        return write(content, expected, expectedSize);
    }

    private Digest write(InputStream content, Digest expected, long expectedSize) {
        if (expected != null && contains(expected)) {
            return expected;
        }
        Path temp = null;
        try {
            Files.createDirectories(layout.ingest());
            Files.createDirectories(layout.blobs());
            temp = Files.createTempFile(layout.ingest(), "blob-", ".part");
            MessageDigest sha256 = Digest.newSha256();
            long written;
            try (OutputStream out = new DigestOutputStream(Files.newOutputStream(temp), sha256)) {
                written = content.transferTo(out);
            }
            Digest actual = Digest.fromHash(sha256);
            if (expected != null && !expected.equals(actual)) {
                throw new StoreException("blob " + expected + " failed verification: its content hashes to " + actual
                        + "; the source is corrupt or was tampered with, fetch it again");
            }
            if (expectedSize >= 0 && written != expectedSize) {
                throw new StoreException("blob " + actual + " has " + written + " bytes but " + expectedSize
                        + " were announced; the source is corrupt, fetch it again");
            }
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            Files.move(temp, path(actual), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            temp = null;
            return actual;
        } catch (IOException e) {
            throw new StoreException("cannot store blob" + (expected != null ? " " + expected : "") + ": " + e.getMessage()
                    + "; check free space and permissions of " + layout.root(), e);
        } finally {
            deleteQuietly(temp);
        }
    }

    /**
     * Moves {@code file}, which must lie on the store's file system (e.g. under {@code tmp/}),
     * into the store after hashing it, instead of copying it; refuses it if {@code expected}
     * (null: not checked) does not match. The file is gone afterwards either way.
     */
    public Digest adopt(Path file, Digest expected) {
        try {
            MessageDigest sha256 = Digest.newSha256();
            try (InputStream in = Files.newInputStream(file);
                 OutputStream sink = new DigestOutputStream(OutputStream.nullOutputStream(), sha256)) {
                in.transferTo(sink);
            }
            Digest actual = Digest.fromHash(sha256);
            if (expected != null && !expected.equals(actual)) {
                throw new StoreException("blob " + expected + " failed verification: its content hashes to " + actual
                        + "; the source is corrupt or was tampered with, fetch it again");
            }
            Files.createDirectories(layout.blobs());
            Files.move(file, path(actual), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return actual;
        } catch (IOException e) {
            throw new StoreException("cannot store " + file + " as a blob: " + e.getMessage()
                    + "; check free space and permissions of " + layout.root(), e);
        } finally {
            deleteQuietly(file);
        }
    }

    public boolean delete(Digest digest) {
        try {
            return Files.deleteIfExists(path(digest));
        } catch (IOException e) {
            throw new StoreException("cannot delete blob " + digest + ": " + e.getMessage(), e);
        }
    }

    public List<Digest> list() {
        List<Digest> digests = new ArrayList<>();
        if (!Files.isDirectory(layout.blobs())) {
            return digests;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(layout.blobs())) {
            for (Path entry : entries) {
                parseName(entry.getFileName().toString()).ifPresent(digests::add);
            }
        } catch (IOException e) {
            throw new StoreException("cannot list blobs in " + layout.blobs() + ": " + e.getMessage(), e);
        }
        return digests;
    }

    /**
     * Removes partial downloads left by a crash that are older than {@code grace} (younger ones
     * may belong to a pull running right now); call while holding the store lock.
     */
    public void cleanIngest(java.time.Duration grace) {
        if (!Files.isDirectory(layout.ingest())) {
            return;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(layout.ingest())) {
            for (Path entry : entries) {
                if (olderThan(entry, grace)) {
                    deleteQuietly(entry);
                }
            }
        } catch (IOException e) {
            throw new StoreException("cannot clean " + layout.ingest() + ": " + e.getMessage(), e);
        }
    }

    /** True when {@code path} was last modified longer than {@code grace} ago. */
    public static boolean olderThan(Path path, java.time.Duration grace) {
        try {
            return Files.getLastModifiedTime(path, java.nio.file.LinkOption.NOFOLLOW_LINKS).toInstant()
                    .isBefore(java.time.Instant.now().minus(grace));
        } catch (IOException gone) {
            return false;
        }
    }

    private static Optional<Digest> parseName(String name) {
        try {
            return Optional.of(new Digest("sha256", name));
        } catch (StoreException notABlob) {
            return Optional.empty();
        }
    }

    private static StoreException missing(Digest digest, IOException cause) {
        return new StoreException("blob " + digest + " is not in the content store; pull or load the image again", cause);
    }

    private static void deleteQuietly(Path path) {
        if (path == null) {
            return;
        }
        try {
            Files.deleteIfExists(path);
        } catch (IOException | RuntimeException ignored) {
            // best effort: a leftover in ingest/ is removed by the next clean
        }
    }

}
