package dev.nvjrun.runtime.image.registry;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nvjrun.runtime.image.Image;
import dev.nvjrun.runtime.image.ImageException;
import dev.nvjrun.runtime.image.LayerWork;
import dev.nvjrun.runtime.image.ImageService;
import dev.nvjrun.runtime.image.archive.ArchiveLoader;
import dev.nvjrun.runtime.image.oci.Descriptor;
import dev.nvjrun.runtime.image.oci.ImageConfig;
import dev.nvjrun.runtime.image.oci.Manifest;
import dev.nvjrun.runtime.image.oci.ManifestIndex;
import dev.nvjrun.runtime.image.oci.MediaTypes;
import dev.nvjrun.runtime.image.reference.ImageReference;
import dev.nvjrun.runtime.image.reference.InvalidReferenceException;
import dev.nvjrun.runtime.layer.ChainIds;
import dev.nvjrun.runtime.layer.LayerStore;
import dev.nvjrun.runtime.store.ContentStore;
import dev.nvjrun.runtime.store.Digest;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code nvjrun pull}: resolves a reference to the linux/amd64 manifest, then downloads and
 * unpacks the layers in parallel (each layer is unpacked as soon as it is down), skipping
 * blobs and layers the store already has.
 */
public final class ImagePuller {

    private static final int PARALLEL_LAYERS = 3;
    private static final long PROGRESS_STEP = 1 << 20;

    private final ImageService images;
    private final RegistryClient registry;
    private final PullProgress progress;

    public ImagePuller(ImageService images, RegistryClient registry, PullProgress progress) {
        this.images = images;
        this.registry = registry;
        this.progress = progress;
    }

    public Image pull(String text) {
        ImageReference reference;
        try {
            reference = ImageReference.parse(text);
        } catch (InvalidReferenceException e) {
            throw new ImageException(e.getMessage(), e);
        }
        ContentStore content = images.content();
        ObjectMapper json = images.json();
        RegistryClient.FetchedManifest fetched = registry.manifest(reference, reference.manifestReference());
        if (reference.digest() != null && !fetched.digest().toString().equals(reference.digest())) {
            throw new RegistryException("registry " + reference.domain() + " served a manifest with digest " + fetched.digest()
                    + " for " + reference + "; the registry or the network tampered with it, refusing it");
        }
        if (MediaTypes.INDEXES.contains(fetched.mediaType())) {
            ManifestIndex index = read(json, fetched.body(), ManifestIndex.class, reference);
            Descriptor chosen = ArchiveLoader.choosePlatform(index, reference.toString());
            fetched = registry.manifest(reference, chosen.digest());
            if (!fetched.digest().equals(chosen.digestValue())) {
                throw new RegistryException("registry " + reference.domain() + " served manifest " + fetched.digest()
                        + " where its index promised " + chosen.digest() + "; refusing it");
            }
        }
        if (!MediaTypes.MANIFESTS.contains(fetched.mediaType())) {
            throw new RegistryException(reference + " is a " + fetched.mediaType()
                    + ", which nvjrun cannot run; pull an image with a Docker schema 2 or OCI manifest");
        }
        Digest manifestDigest = content.put(fetched.body());
        Manifest manifest = images.installer().readManifest(manifestDigest, reference.toString());
        Descriptor config = manifest.config();
        if (!content.contains(config.digestValue())) {
            try (InputStream in = registry.blob(reference, config.digestValue())) {
                content.ingest(in, config.digestValue(), config.size());
            } catch (IOException e) {
                throw new RegistryException("download of the config of " + reference + " failed: " + e.getMessage(), e);
            }
        }
        ImageConfig parsed = images.installer().readConfig(config.digestValue(), reference.toString());
        if (parsed.diffIds().size() != manifest.layers().size()) {
            throw new ImageException(reference + " is inconsistent: " + manifest.layers().size() + " layers but "
                    + parsed.diffIds().size() + " diff ids; the image in the registry is corrupt");
        }
        fetchLayers(reference, manifest.layers(), parsed.diffIds(), new ChainIds(parsed.diffIds()).chain());
        images.installer().install(manifestDigest, List.of(reference), reference.toString());
        return images.inspect(reference.toString());
    }

    private void fetchLayers(ImageReference reference, List<Descriptor> blobs, List<Digest> diffIds, List<Digest> chain) {
        if (blobs.isEmpty()) {
            return;
        }
        LayerWork.runAll(blobs.size(), PARALLEL_LAYERS, "pull of " + reference + " failed", n -> fetchLayer(reference,
                blobs.get(n), diffIds.get(n), chain.get(n), LayerWork.layerName(n, blobs.size(), blobs.get(n).digest(), reference.toString())));
    }

    private void fetchLayer(ImageReference reference, Descriptor blob, Digest diffId, Digest chainId, String what) {
        ContentStore content = images.content();
        LayerStore layers = images.layers();
        Digest digest = blob.digestValue();
        boolean haveBlob = content.contains(digest);
        if (haveBlob && layers.contains(chainId)) {
            progress.layer(digest, PullProgress.Stage.ALREADY_EXISTS, blob.size(), blob.size());
            return;
        }
        if (!haveBlob) {
            progress.layer(digest, PullProgress.Stage.DOWNLOADING, 0, blob.size());
            try (InputStream in = new Progressing(registry.blob(reference, digest), digest, blob.size())) {
                content.ingest(in, digest, blob.size());
            } catch (IOException e) {
                throw new RegistryException("download of " + what + " failed: " + e.getMessage() + "; run the pull again", e);
            }
        }
        progress.layer(digest, PullProgress.Stage.EXTRACTING, blob.size(), blob.size());
        try (InputStream in = content.open(digest)) {
            layers.unpack(chainId, diffId, in, what);
        } catch (IOException e) {
            throw new ImageException("cannot read " + what + " from the store: " + e.getMessage(), e);
        }
        progress.layer(digest, PullProgress.Stage.PULL_COMPLETE, blob.size(), blob.size());
    }

    private static <T> T read(ObjectMapper json, byte[] body, Class<T> type, ImageReference reference) {
        try {
            return json.readValue(body, type);
        } catch (IOException e) {
            throw new RegistryException("registry " + reference.domain() + " sent an unreadable manifest for " + reference
                    + " (" + e.getMessage() + ")", e);
        }
    }

    /** Reports download progress about once a megabyte. */
    private final class Progressing extends FilterInputStream {
        private final Digest digest;
        private final long total;
        private long done;
        private long reported;

        Progressing(InputStream in, Digest digest, long total) {
            super(in);
            this.digest = digest;
            this.total = total;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                done += n;
                if (done - reported >= PROGRESS_STEP) {
                    reported = done;
                    progress.layer(digest, PullProgress.Stage.DOWNLOADING, done, total);
                }
            }
            return n;
        }
    }
}
