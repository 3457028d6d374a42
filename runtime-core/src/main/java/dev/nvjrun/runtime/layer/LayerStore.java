package dev.nvjrun.runtime.layer;

import dev.nvjrun.runtime.layer.tar.LayerUnpacker;
import dev.nvjrun.runtime.store.ContentStore;
import dev.nvjrun.runtime.store.Digest;
import dev.nvjrun.runtime.store.FileTree;
import dev.nvjrun.runtime.store.StoreException;
import dev.nvjrun.runtime.store.StoreLayout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.nvjrun.runtime.store.RandomBytes;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Unpacked layers, one directory per chain id: {@code layers/<hex>/diff} holds the files and
 * {@code layers/<hex>/link} a short random name under {@code l/} that points at {@code diff},
 * so that an overlay mount of a deep image fits the kernel's one-page option limit. A layer is
 * unpacked once into {@code tmp/} and renamed into place, so it is either complete or absent;
 * when two commands unpack the same layer at once the second rename loses and its copy is
 * dropped.
 */
public final class LayerStore {

    private static final Logger LOG = LoggerFactory.getLogger(LayerStore.class);
    private static final String LINK_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    private static final int LINK_LENGTH = 10;

    private final StoreLayout layout;
    private final LayerUnpacker unpacker;

    public LayerStore(StoreLayout layout, LayerUnpacker unpacker) {
        this.layout = layout;
        this.unpacker = unpacker;
    }

    public boolean contains(Digest chainId) {
        return Files.isDirectory(diff(chainId), LinkOption.NOFOLLOW_LINKS);
    }

    /** The unpacked files of a layer. */
    public Path diff(Digest chainId) {
        return layout.layers().resolve(chainId.hex()).resolve("diff");
    }

    /**
     * Unpacks {@code blob} as the layer {@code chainId} unless it is there already, refusing it when
     * its uncompressed content does not hash to {@code expectedDiffId} (null: not checked).
     *
     * @return the diff id of the content
     */
    public Digest unpack(Digest chainId, Digest expectedDiffId, InputStream blob, String what) {
        if (contains(chainId)) {
            return expectedDiffId;
        }
        Path staging = null;
        try {
            Files.createDirectories(layout.tmp());
            Files.createDirectories(layout.layers());
            staging = Files.createTempDirectory(layout.tmp(), "layer-");
            Path diff = Files.createDirectory(staging.resolve("diff"));
            LayerUnpacker.Result result = unpacker.unpack(blob, diff, what);
            if (expectedDiffId != null && !expectedDiffId.equals(result.diffId())) {
                throw new StoreException(what + " does not match the image: its content hashes to " + result.diffId()
                        + " but the image config lists " + expectedDiffId + "; the image is corrupt, fetch it again");
            }
            Files.writeString(staging.resolve("link"), newLinkName(), StandardCharsets.US_ASCII);
            try {
                Files.move(staging, layout.layers().resolve(chainId.hex()), StandardCopyOption.ATOMIC_MOVE);
                staging = null;
            } catch (FileAlreadyExistsException | DirectoryNotEmptyException raced) {
                LOG.debug("layer {} was unpacked concurrently; keeping the other copy", chainId);
            }
            link(chainId);
            LOG.debug("unpacked {} as {} ({} entries, {} bytes)", what, chainId, result.entries(), result.uncompressedBytes());
            return result.diffId();
        } catch (IOException e) {
            throw new StoreException("cannot unpack " + what + ": " + e.getMessage() + "; check free space and permissions of "
                    + layout.root(), e);
        } finally {
            deleteQuietly(staging);
        }
    }

    /** The short path {@code l/<name>} that resolves to the layer's files; recreated if a crash lost it. */
    public Path link(Digest chainId) {
        Path layerDir = layout.layers().resolve(chainId.hex());
        try {
            String name = Files.readString(layerDir.resolve("link"), StandardCharsets.US_ASCII).strip();
            Path link = layout.layerLinks().resolve(name);
            if (!Files.exists(link, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectories(layout.layerLinks());
                try {
                    Files.createSymbolicLink(link, Path.of("..", "layers", chainId.hex(), "diff"));
                } catch (FileAlreadyExistsException raced) {
                    // another command made the same link at the same moment
                }
            }
            return link;
        } catch (IOException e) {
            throw new StoreException("layer " + chainId + " in " + layerDir + " is damaged (" + e.getMessage()
                    + "); run nvjrun system prune and pull the image again", e);
        }
    }

    /**
     * The chain ids that overlay snapshots under {@code overlaySnapshots} stack on (their {@code lower}
     * files list the short links); such layers must outlive the images that brought them.
     */
    public java.util.Set<Digest> inUseBySnapshots(Path overlaySnapshots) {
        java.util.Set<Digest> used = new java.util.HashSet<>();
        if (!Files.isDirectory(overlaySnapshots)) {
            return used;
        }
        try (DirectoryStream<Path> snapshots = Files.newDirectoryStream(overlaySnapshots)) {
            for (Path snapshot : snapshots) {
                Path lower = snapshot.resolve("lower");
                if (!Files.isRegularFile(lower)) {
                    continue;
                }
                for (String line : Files.readAllLines(lower, StandardCharsets.UTF_8)) {
                    chainIdOfLink(Path.of(line.strip())).ifPresent(used::add);
                }
            }
        } catch (IOException e) {
            throw new StoreException("cannot read the snapshots in " + overlaySnapshots + ": " + e.getMessage(), e);
        }
        return used;
    }

    private Optional<Digest> chainIdOfLink(Path link) {
        try {
            if (!link.startsWith(layout.layerLinks()) || !Files.isSymbolicLink(link)) {
                return Optional.empty();
            }
            // links read ../layers/<hex>/diff
            Path target = Files.readSymbolicLink(link);
            return Optional.of(new Digest("sha256", target.getParent().getFileName().toString()));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    public void remove(Digest chainId) {
        Path layerDir = layout.layers().resolve(chainId.hex());
        if (!Files.exists(layerDir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try {
            readLinkName(layerDir).ifPresent(name -> deleteQuietly(layout.layerLinks().resolve(name)));
            Files.createDirectories(layout.tmp());
            // rename first, so that a crash mid-delete leaves garbage in tmp/, not a half layer
            Path doomed = layout.tmp().resolve("removed-" + chainId.hex() + "-" + newLinkName());
            Files.move(layerDir, doomed, StandardCopyOption.ATOMIC_MOVE);
            new FileTree(doomed).delete();
        } catch (IOException e) {
            throw new StoreException("cannot remove layer " + chainId + ": " + e.getMessage()
                    + "; check that no container still uses it and retry", e);
        }
    }

    public List<Digest> list() {
        List<Digest> chainIds = new ArrayList<>();
        if (!Files.isDirectory(layout.layers())) {
            return chainIds;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(layout.layers())) {
            for (Path entry : entries) {
                try {
                    chainIds.add(new Digest("sha256", entry.getFileName().toString()));
                } catch (StoreException notALayer) {
                    LOG.debug("ignoring {} in the layer directory", entry);
                }
            }
        } catch (IOException e) {
            throw new StoreException("cannot list layers in " + layout.layers() + ": " + e.getMessage(), e);
        }
        return chainIds;
    }

    /**
     * Removes links that lead nowhere and leftovers of interrupted commands older than
     * {@code grace} (younger ones may belong to a command running now); call under the store lock.
     */
    public void clean(java.time.Duration grace) {
        try {
            if (Files.isDirectory(layout.layerLinks())) {
                try (DirectoryStream<Path> links = Files.newDirectoryStream(layout.layerLinks())) {
                    for (Path link : links) {
                        if (!Files.exists(link) && ContentStore.olderThan(link, grace)) {
                            deleteQuietly(link);
                        }
                    }
                }
            }
            if (Files.isDirectory(layout.tmp())) {
                try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(layout.tmp())) {
                    for (Path leftover : leftovers) {
                        if (ContentStore.olderThan(leftover, grace)) {
                            deleteQuietly(leftover);
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new StoreException("cannot clean " + layout.root() + ": " + e.getMessage(), e);
        }
    }

    private Optional<String> readLinkName(Path layerDir) {
        try {
            return Optional.of(Files.readString(layerDir.resolve("link"), StandardCharsets.US_ASCII).strip());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private String newLinkName() {
        return RandomBytes.text(LINK_ALPHABET, LINK_LENGTH);
    }

    private static void deleteQuietly(Path path) {
        if (path == null) {
            return;
        }
        try {
            new FileTree(path).delete();
        } catch (IOException | RuntimeException e) {
            LoggerFactory.getLogger(LayerStore.class).warn("could not delete {}: {}", path, e.getMessage());
        }
    }
}
