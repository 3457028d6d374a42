package dev.nvjrun.runtime.image;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nvjrun.runtime.image.archive.ArchiveDirectory;
import dev.nvjrun.runtime.image.archive.ArchiveLoader;
import dev.nvjrun.runtime.image.archive.DockerArchiveWriter;
import dev.nvjrun.runtime.image.oci.Descriptor;
import dev.nvjrun.runtime.image.oci.ImageConfig;
import dev.nvjrun.runtime.image.oci.Manifest;
import dev.nvjrun.runtime.image.oci.MediaTypes;
import dev.nvjrun.runtime.image.reference.ImageReference;
import dev.nvjrun.runtime.image.reference.InvalidReferenceException;
import dev.nvjrun.runtime.layer.LayerStore;
import dev.nvjrun.runtime.layer.NativeFiles;
import dev.nvjrun.runtime.layer.tar.Compression;
import dev.nvjrun.runtime.layer.tar.LayerUnpacker;
import dev.nvjrun.runtime.store.ContentStore;
import dev.nvjrun.runtime.store.Digest;
import dev.nvjrun.runtime.store.ImageIndex;
import dev.nvjrun.runtime.store.IndexedImage;
import dev.nvjrun.runtime.store.StoreLayout;
import dev.nvjrun.runtime.store.StoreLock;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The images of one state root: what {@code nvjrun images, image inspect, load, save, import,
 * tag, rmi, system df} and {@code system prune} do. Names are given as Docker accepts them
 * ({@code busybox}, {@code localhost:5000/a/b:1}, an image id or a prefix of it).
 * Use one instance per root per process.
 */
public final class ImageService {

    private static final Duration PRUNE_GRACE = Duration.ofHours(1);

    private final StoreLayout layout;
    private final ContentStore content;
    private final LayerStore layers;
    private final ImageIndex index;
    private final ImageInstaller installer;
    /** Made on first use: run and create never need it (they read the index and configs with the streaming parser). */
    private ObjectMapper json;
    private final UnusedContentCollector collector;

    public ImageService(StoreLayout layout) {
        this(layout, new NativeFiles());
    }

    public ImageService(StoreLayout layout, NativeFiles nativeFiles) {
        this.layout = layout;
        this.content = new ContentStore(layout);
        this.layers = new LayerStore(layout, new LayerUnpacker(nativeFiles));
        this.index = new ImageIndex(layout, new StoreLock(layout.lockFile()));
        // Not this::json: linking a method reference resolves its signature, which loads ObjectMapper on every run.
        this.installer = new ImageInstaller(content, layers, index, new Supplier<>() {
            @Override
            public ObjectMapper get() {
                return json();
            }
        });
        this.collector = new UnusedContentCollector(layout, content, layers, installer);
    }

    public StoreLayout layout() {
        return layout;
    }

    public ContentStore content() {
        return content;
    }

    public LayerStore layers() {
        return layers;
    }

    public ImageInstaller installer() {
        return installer;
    }

    /** Data binding for manifests, archives and registries: pull, load, save and import. */
    public synchronized ObjectMapper json() {
        if (json == null) {
            json = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        }
        return json;
    }

    public List<Image> list() {
        ImageIndex.Contents contents = index.read();
        return contents.images().values().stream()
                .map(image -> toImage(image, contents))
                .sorted(Comparator.comparing(Image::added).reversed())
                .toList();
    }

    public Image inspect(String nameOrId) {
        ImageIndex.Contents contents = index.read();
        return toImage(contents.images().get(resolve(nameOrId, contents)), contents);
    }

    /** The image config exactly as stored, for {@code image inspect} output. */
    public byte[] rawConfig(String nameOrId) {
        return content.read(inspect(nameOrId).id());
    }

    /** The unpacked layer directories of an image, bottom first, as short paths for overlay. */
    public List<Path> layerPaths(Image image) {
        return image.chainIds().stream().map(layers::link).toList();
    }

    /** Loads a {@code docker save} archive, an OCI archive or an OCI layout directory. */
    public List<Image> load(Path input) {
        try (ArchiveDirectory archive = ArchiveDirectory.open(input, layout.tmp())) {
            List<IndexedImage> loaded = new ArchiveLoader(content, installer, json()).load(archive);
            ImageIndex.Contents contents = index.read();
            return loaded.stream().map(image -> toImage(image, contents)).toList();
        }
    }

    /** Writes the named images into one {@code docker save} archive that Docker can load. */
    public void save(List<String> namesOrIds, Path output) {
        if (namesOrIds.isEmpty()) {
            throw new ImageException("nothing to save; name at least one image");
        }
        ImageIndex.Contents contents = index.read();
        List<DockerArchiveWriter.SavedImage> saved = new ArrayList<>();
        for (String name : namesOrIds) {
            String manifestDigest = resolve(name, contents);
            IndexedImage image = contents.images().get(manifestDigest);
            List<String> tags = new ArrayList<>();
            for (String reference : referencesFor(name, manifestDigest, contents)) {
                ImageReference parsed = ImageReference.parse(reference);
                if (parsed.tag() != null && parsed.digest() == null) {
                    tags.add(parsed.familiar());
                }
            }
            Manifest manifest = installer.readManifest(image.manifestDigest(), name);
            saved.add(new DockerArchiveWriter.SavedImage(manifest, image.configDigest(),
                    installer.readConfig(image.configDigest(), name), tags));
        }
        new DockerArchiveWriter(content, json(), layout.tmp()).write(saved, output);
    }

    /**
     * Makes a one-layer image from a root file system tarball (plain, gzip or zstd). A tarball
     * that fails to read or unpack leaves no blob behind unless the store already had it.
     */
    public Image importRootfs(Path tarball, String reference) {
        ImageReference name = parseReference(reference);
        if (!Files.isRegularFile(tarball)) {
            throw new ImageException("root file system tarball " + tarball + " does not exist; give a tar file");
        }
        Digest blob;
        boolean hadBlob;
        try (InputStream in = Files.newInputStream(tarball)) {
            MessageDigest blobHash = Digest.newSha256();
            // Digest first, so that a blob the store already holds is known and never deleted on failure.
            try (InputStream hashed = new DigestInputStream(Files.newInputStream(tarball), blobHash)) {
                hashed.transferTo(OutputStream.nullOutputStream());
            }
            hadBlob = content.contains(Digest.fromHash(blobHash));
            blob = content.put(in);
        } catch (IOException e) {
            throw new ImageException("cannot read root file system tarball " + tarball + ": " + e.getMessage()
                    + "; check that it is readable", e);
        }
        try {
            return importStoredRootfs(tarball, name, blob);
        } catch (RuntimeException e) {
            if (!hadBlob) {
                content.delete(blob);
            }
            throw e;
        }
    }

    private Image importStoredRootfs(Path tarball, ImageReference name, Digest blob) {
        Digest diffId;
        MessageDigest sha256 = Digest.newSha256();
        try (InputStream expanded = new DigestInputStream(Compression.decompress(content.open(blob)), sha256)) {
            expanded.transferTo(OutputStream.nullOutputStream());
            diffId = Digest.fromHash(sha256);
        } catch (IOException e) {
            throw new ImageException("cannot read root file system tarball " + tarball + ": " + e.getMessage()
                    + "; check that it is a complete tar file", e);
        }
        try (InputStream in = content.open(blob)) {
            layers.unpack(diffId, diffId, in, "root file system tarball " + tarball);
        } catch (IOException e) {
            throw new ImageException("cannot read the stored copy of " + tarball + ": " + e.getMessage(), e);
        }
        String now = Instant.now().toString();
        ObjectMapper json = json();
        ObjectNode config = json.createObjectNode();
        config.put("architecture", "amd64").put("os", "linux").put("created", now);
        config.putObject("config");
        ObjectNode rootfs = config.putObject("rootfs");
        rootfs.put("type", "layers");
        rootfs.putArray("diff_ids").add(diffId.toString());
        ArrayNode history = config.putArray("history");
        history.addObject().put("created", now).put("created_by", "nvjrun import " + tarball.getFileName());
        try {
            byte[] configBytes = json.writeValueAsBytes(config);
            Digest configDigest = content.put(configBytes);
            String layerType;
            try (InputStream in = new java.io.BufferedInputStream(content.open(blob))) {
                layerType = switch (Compression.detect(in)) {
                    case GZIP -> MediaTypes.OCI_LAYER_GZIP;
                    case ZSTD -> MediaTypes.OCI_LAYER_ZSTD;
                    case NONE -> MediaTypes.OCI_LAYER;
                };
            }
            Manifest manifest = new Manifest(2, MediaTypes.OCI_MANIFEST,
                    new Descriptor(MediaTypes.OCI_CONFIG, configDigest, configBytes.length),
                    List.of(new Descriptor(layerType, blob, content.size(blob))));
            Digest manifestDigest = content.put(json.writeValueAsBytes(manifest));
            IndexedImage image = installer.install(manifestDigest, List.of(name), name.toString());
            return toImage(image, index.read());
        } catch (IOException e) {
            throw new ImageException("cannot record the image imported from " + tarball + ": " + e.getMessage(), e);
        }
    }

    /** Gives the image {@code source} the additional name {@code target}. */
    public void tag(String source, String target) {
        ImageReference name = parseReference(target);
        if (name.digest() != null) {
            throw new ImageException("cannot tag with \"" + target + "\": a tag cannot contain a digest; use name:tag");
        }
        index.update(contents -> {
            String manifest = resolve(source, contents);
            contents.references().put(name.toString(), manifest);
            return null;
        });
    }

    /** What {@code rmi} did. */
    public record Removal(List<String> untagged, List<Digest> deleted) {
    }

    /**
     * Removes a name; when it was the image's last name, or {@code nameOrId} is an id, removes
     * the image and every blob and layer no other image uses. Layers that an overlay snapshot
     * stacks on stay until prune finds them unused. An id of an image with several names needs
     * {@code force}.
     */
    public Removal remove(String nameOrId, boolean force) {
        return index.update(contents -> {
            String manifest = resolve(nameOrId, contents);
            IndexedImage image = contents.images().get(manifest);
            List<String> names = contents.referencesTo(manifest);
            List<String> untagged = new ArrayList<>();
            String byName = referenceKey(nameOrId, contents);
            if (byName != null) {
                contents.references().remove(byName);
                untagged.add(byName);
                if (names.size() > 1) {
                    return new Removal(untagged, List.of());
                }
            } else {
                if (names.size() > 1 && !force) {
                    throw new ImageException("image " + image.configDigest().shortHex() + " has several names " + names
                            + "; remove them one by one or force the removal");
                }
                names.forEach(contents.references()::remove);
                untagged.addAll(names);
            }
            contents.images().remove(manifest);
            collector.deleteUnused(image, contents);
            return new Removal(untagged, List.of(image.configDigest()));
        });
    }

    /** Space used under the state root, for {@code system df}. */
    public StoreUsage diskUsage() {
        return collector.usage(index.read().images().size());
    }

    /** {@link #prune(Duration)} with a grace of an hour, which spares the work of commands running now. */
    public int prune() {
        return prune(PRUNE_GRACE);
    }

    /**
     * Removes what no image uses and that is older than {@code grace}: blobs and layers of
     * removed images, and leftovers of interrupted commands. Returns the blobs and layers removed.
     */
    public int prune(Duration grace) {
        return index.update(contents -> collector.prune(contents, grace));
    }

    private Image toImage(IndexedImage image, ImageIndex.Contents contents) {
        ImageConfig config = installer.readConfig(image.configDigest(), image.manifest());
        return new Image(image.configDigest(), image.manifestDigest(), contents.referencesTo(image.manifest()), config,
                image.chainIds().stream().map(Digest::parse).toList(), image.size(), image.added());
    }

    /** The manifest digest that a name, an image id or an id prefix designates. */
    private String resolve(String nameOrId, ImageIndex.Contents contents) {
        String byName = referenceKey(nameOrId, contents);
        if (byName != null) {
            return contents.references().get(byName);
        }
        String hex = nameOrId.startsWith("sha256:") ? nameOrId.substring("sha256:".length()) : nameOrId;
        if (hex.matches("[a-f0-9]{4,64}")) {
            List<String> matches = new ArrayList<>();
            for (Map.Entry<String, IndexedImage> entry : contents.images().entrySet()) {
                IndexedImage image = entry.getValue();
                if (image.configDigest().hex().startsWith(hex) || image.manifestDigest().hex().startsWith(hex)) {
                    matches.add(entry.getKey());
                }
            }
            if (matches.size() == 1) {
                return matches.get(0);
            }
            if (matches.size() > 1) {
                throw new ImageException("image id prefix " + nameOrId + " matches " + matches.size()
                        + " images; give more digits");
            }
        }
        throw new ImageException("image " + nameOrId + " is not in the store " + layout.root()
                + "; pull, load or import it first (nvjrun images lists what is there)");
    }

    private static String referenceKey(String name, ImageIndex.Contents contents) {
        try {
            String key = ImageReference.parse(name).toString();
            return contents.references().containsKey(key) ? key : null;
        } catch (InvalidReferenceException notAName) {
            return null;
        }
    }

    private static List<String> referencesFor(String requested, String manifest, ImageIndex.Contents contents) {
        String byName = referenceKey(requested, contents);
        return byName != null ? List.of(byName) : contents.referencesTo(manifest);
    }

    private static ImageReference parseReference(String text) {
        try {
            return ImageReference.parse(text);
        } catch (InvalidReferenceException e) {
            throw new ImageException(e.getMessage(), e);
        }
    }


}
