package dev.nvjrun.runtime.image.archive;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nvjrun.runtime.image.ImageException;
import dev.nvjrun.runtime.image.ImageInstaller;
import dev.nvjrun.runtime.image.oci.Descriptor;
import dev.nvjrun.runtime.image.oci.Manifest;
import dev.nvjrun.runtime.image.oci.ManifestIndex;
import dev.nvjrun.runtime.image.oci.MediaTypes;
import dev.nvjrun.runtime.image.oci.Platform;
import dev.nvjrun.runtime.image.reference.ImageReference;
import dev.nvjrun.runtime.image.reference.InvalidReferenceException;
import dev.nvjrun.runtime.layer.tar.Compression;
import dev.nvjrun.runtime.store.ContentStore;
import dev.nvjrun.runtime.store.Digest;
import dev.nvjrun.runtime.store.IndexedImage;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Loads the images of a {@code docker save} archive or an OCI layout (directory or archive)
 * into the store. Blobs are verified against their digests as they enter the store.
 */
public final class ArchiveLoader {

    /** One entry of a {@code docker save} manifest.json. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record DockerArchiveEntry(@JsonProperty("Config") String config, @JsonProperty("RepoTags") List<String> repoTags,
                                     @JsonProperty("Layers") List<String> layers) {
    }

    private final ContentStore content;
    private final ImageInstaller installer;
    private final ObjectMapper json;

    public ArchiveLoader(ContentStore content, ImageInstaller installer, ObjectMapper json) {
        this.content = content;
        this.installer = installer;
        this.json = json;
    }

    public List<IndexedImage> load(ArchiveDirectory archive) {
        if (archive.exists("oci-layout") && archive.exists("index.json")) {
            return loadOciLayout(archive);
        }
        if (archive.exists("manifest.json")) {
            return loadDockerArchive(archive);
        }
        throw new ImageException(archive.description() + " is neither a docker save archive (no manifest.json) nor an OCI"
                + " layout (no oci-layout and index.json); give an archive made by docker save, skopeo or podman");
    }

    private List<IndexedImage> loadDockerArchive(ArchiveDirectory archive) {
        List<DockerArchiveEntry> entries;
        try {
            entries = json.readValue(archive.read("manifest.json"), new TypeReference<List<DockerArchiveEntry>>() { });
        } catch (IOException e) {
            throw new ImageException(archive.description() + " has an unreadable manifest.json (" + e.getMessage()
                    + "); export the image again", e);
        }
        List<IndexedImage> loaded = new ArrayList<>();
        // several images of one archive share layer files, and adopting a file moves it away
        java.util.Map<String, Descriptor> stored = new java.util.HashMap<>();
        for (DockerArchiveEntry entry : entries) {
            if (entry.config() == null || entry.layers() == null) {
                throw new ImageException(archive.description() + " has a manifest.json entry without Config or Layers;"
                        + " export the image again");
            }
            List<ImageReference> references = new ArrayList<>();
            for (String tag : entry.repoTags() == null ? List.<String>of() : entry.repoTags()) {
                references.add(parseName(tag, archive));
            }
            byte[] configBytes = archive.read(entry.config());
            Digest config = content.put(configBytes);
            List<Descriptor> layers = new ArrayList<>();
            for (String layer : entry.layers()) {
                Descriptor descriptor = stored.get(layer);
                if (descriptor == null) {
                    descriptor = storeLayer(archive, layer);
                    stored.put(layer, descriptor);
                }
                layers.add(descriptor);
            }
            Manifest manifest = new Manifest(2, MediaTypes.OCI_MANIFEST,
                    new Descriptor(MediaTypes.OCI_CONFIG, config, configBytes.length), layers);
            Digest manifestDigest = putJson(manifest);
            loaded.add(installer.install(manifestDigest, references, archive.description()));
        }
        return loaded;
    }

    private Descriptor storeLayer(ArchiveDirectory archive, String name) {
        Path file = archive.file(name);
        try {
            long size = Files.size(file);
            Compression compression;
            try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
                compression = Compression.detect(in);
            }
            Digest digest = archive.isScratch() ? content.adopt(file, null) : putFile(file);
            String mediaType = switch (compression) {
                case GZIP -> MediaTypes.OCI_LAYER_GZIP;
                case ZSTD -> MediaTypes.OCI_LAYER_ZSTD;
                case NONE -> MediaTypes.OCI_LAYER;
            };
            return new Descriptor(mediaType, digest, size);
        } catch (IOException e) {
            throw new ImageException(archive.description() + " lacks layer " + name + " (" + e.getMessage()
                    + "); the archive is incomplete, export it again", e);
        }
    }

    private Digest putFile(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return content.put(in);
        }
    }

    private List<IndexedImage> loadOciLayout(ArchiveDirectory archive) {
        ManifestIndex index = readJson(archive, "index.json", ManifestIndex.class);
        if (index.manifests() == null || index.manifests().isEmpty()) {
            throw new ImageException(archive.description() + " is an OCI layout without images; index.json lists no manifests");
        }
        List<IndexedImage> loaded = new ArrayList<>();
        for (Descriptor top : index.manifests()) {
            List<ImageReference> references = new ArrayList<>();
            String fullName = top.annotation(Descriptor.CONTAINERD_NAME);
            String refName = top.annotation(Descriptor.REF_NAME);
            if (fullName != null) {
                // docker save since Docker 25 and nerdctl put the whole name here and only the tag in ref.name
                references.add(parseName(fullName, archive));
            } else if (refName != null) {
                references.add(refNameToReference(refName, archive));
            }
            Descriptor manifest = resolvePlatform(archive, top);
            Digest manifestDigest = copyBlob(archive, manifest.digestValue());
            Manifest parsed = installer.readManifest(manifestDigest, archive.description());
            copyBlob(archive, parsed.config().digestValue());
            for (Descriptor layer : parsed.layers()) {
                copyBlob(archive, layer.digestValue());
            }
            loaded.add(installer.install(manifestDigest, references, archive.description()));
        }
        return loaded;
    }

    /** Follows nested indexes down to the linux/amd64 manifest. */
    private Descriptor resolvePlatform(ArchiveDirectory archive, Descriptor descriptor) {
        Descriptor current = descriptor;
        for (int depth = 0; depth < 4; depth++) {
            if (current.mediaType() == null || !MediaTypes.INDEXES.contains(current.mediaType())) {
                return current;
            }
            ManifestIndex nested = readJson(archive, blobName(current.digestValue()), ManifestIndex.class);
            current = choosePlatform(nested, archive.description());
        }
        throw new ImageException(archive.description() + " nests image indexes more than 4 deep; the archive is malformed");
    }

    /** The linux/amd64 manifest of an index; the only one if there is just one without platform. */
    public static Descriptor choosePlatform(ManifestIndex index, String what) {
        List<Descriptor> manifests = index.manifests() == null ? List.of() : index.manifests();
        for (Descriptor candidate : manifests) {
            if (candidate.platform() != null && candidate.platform().matches(Platform.LINUX_AMD64)) {
                return candidate;
            }
        }
        if (manifests.size() == 1 && manifests.get(0).platform() == null) {
            return manifests.get(0);
        }
        List<String> offered = manifests.stream().map(d -> String.valueOf(d.platform())).toList();
        throw new ImageException(what + " has no image for " + Platform.LINUX_AMD64 + " (it offers " + offered
                + "); use an image built for linux/amd64");
    }

    private Digest copyBlob(ArchiveDirectory archive, Digest digest) {
        if (content.contains(digest)) {
            return digest;
        }
        Path file = archive.file(blobName(digest));
        if (!Files.isRegularFile(file)) {
            throw new ImageException(archive.description() + " lacks blob " + digest + "; the layout is incomplete, copy it again");
        }
        if (archive.isScratch()) {
            return content.adopt(file, digest);
        }
        try (InputStream in = Files.newInputStream(file)) {
            return content.ingest(in, digest, -1);
        } catch (IOException e) {
            throw new ImageException("cannot read blob " + digest + " of " + archive.description() + ": " + e.getMessage(), e);
        }
    }

    private static String blobName(Digest digest) {
        return "blobs/" + digest.algorithm() + "/" + digest.hex();
    }

    private <T> T readJson(ArchiveDirectory archive, String name, Class<T> type) {
        try {
            return json.readValue(archive.read(name), type);
        } catch (IOException e) {
            throw new ImageException(archive.description() + " has an unreadable " + name + " (" + e.getMessage()
                    + "); the archive is broken", e);
        }
    }

    private Digest putJson(Object value) {
        try {
            return content.put(json.writeValueAsBytes(value));
        } catch (IOException e) {
            throw new ImageException("cannot encode a manifest: " + e.getMessage(), e);
        }
    }

    private static ImageReference parseName(String name, ArchiveDirectory archive) {
        try {
            return ImageReference.parse(name);
        } catch (InvalidReferenceException e) {
            throw new ImageException(archive.description() + " names its image \"" + name + "\", which is invalid: "
                    + e.getMessage(), e);
        }
    }

    /**
     * skopeo and podman write either a full reference or just a tag into
     * {@code org.opencontainers.image.ref.name}; a bare tag gets the name {@code localhost/<archive name>}.
     */
    private static ImageReference refNameToReference(String refName, ArchiveDirectory archive) {
        if (refName.contains("/") || refName.contains("@")) {
            return parseName(refName, archive);
        }
        String base = Path.of(archive.description()).getFileName().toString().replaceAll("\\.(tar|tgz|tar\\.gz|oci)$", "")
                .toLowerCase().replaceAll("[^a-z0-9._-]", "-").replaceAll("^[._-]+", "");
        if (refName.contains(":")) {
            return parseName("localhost/" + refName, archive);
        }
        return parseName("localhost/" + (base.isEmpty() ? "image" : base) + ":" + refName, archive);
    }
}
