package dev.nvjrun.runtime.image;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nvjrun.runtime.image.oci.Descriptor;
import dev.nvjrun.runtime.image.oci.ImageConfig;
import dev.nvjrun.runtime.image.oci.Manifest;
import dev.nvjrun.runtime.image.oci.MediaTypes;
import dev.nvjrun.runtime.image.reference.ImageReference;
import dev.nvjrun.runtime.layer.ChainIds;
import dev.nvjrun.runtime.layer.LayerException;
import dev.nvjrun.runtime.layer.LayerStore;
import dev.nvjrun.runtime.store.ContentStore;
import dev.nvjrun.runtime.store.Digest;
import dev.nvjrun.runtime.store.ImageIndex;
import dev.nvjrun.runtime.store.IndexedImage;
import dev.nvjrun.runtime.store.StoreException;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Turns a manifest whose blobs are all in the content store into an image: unpacks its layers
 * (in parallel, each once) and records it and its names in the index. Load, import and pull all
 * end here.
 */
public final class ImageInstaller {

    private final ContentStore content;
    private final LayerStore layers;
    private final ImageIndex index;
    private final Supplier<ObjectMapper> json;

    /** @param json data binding for manifests, asked for only when a manifest is read (not by run) */
    public ImageInstaller(ContentStore content, LayerStore layers, ImageIndex index, Supplier<ObjectMapper> json) {
        this.content = content;
        this.layers = layers;
        this.index = index;
        this.json = json;
    }

    public Manifest readManifest(Digest digest, String what) {
        try {
            Manifest manifest = json.get().readValue(content.read(digest), Manifest.class);
            if (manifest.config() == null || manifest.layers() == null) {
                throw new ImageException(what + " has a manifest without config or layers; it is not an image manifest");
            }
            if (manifest.mediaType() != null && !MediaTypes.MANIFESTS.contains(manifest.mediaType())) {
                throw new ImageException(what + " has a manifest of type " + manifest.mediaType()
                        + ", which nvjrun does not support; use a Docker schema 2 or OCI image");
            }
            return manifest;
        } catch (IOException e) {
            throw new ImageException(what + " has an unreadable manifest " + digest + " (" + e.getMessage() + ")", e);
        }
    }

    public ImageConfig readConfig(Digest digest, String what) {
        try {
            return ImageConfig.parse(content.read(digest));
        } catch (IOException | StoreException e) {
            throw new ImageException(what + " has an unreadable config " + digest + " (" + e.getMessage() + ")", e);
        }
    }

    /**
     * Unpacks the layers of {@code manifestDigest} and indexes it under {@code references}.
     *
     * @param what how errors name the image, e.g. the reference or archive it came from
     */
    public IndexedImage install(Digest manifestDigest, List<ImageReference> references, String what) {
        Manifest manifest = readManifest(manifestDigest, what);
        Digest configDigest = manifest.config().digestValue();
        ImageConfig config = readConfig(configDigest, what);
        List<Descriptor> layerBlobs = manifest.layers();
        if (config.diffIds().size() != layerBlobs.size()) {
            throw new ImageException(what + " is inconsistent: its manifest has " + layerBlobs.size()
                    + " layers but its config lists " + config.diffIds().size() + " diff ids; the image is corrupt");
        }
        List<Digest> chain = new ChainIds(config.diffIds()).chain();
        unpackAll(layerBlobs, config.diffIds(), chain, what);
        long size = layerBlobs.stream().mapToLong(Descriptor::size).sum();
        return index.update(contents -> {
            // a concurrent rmi may have removed shared content after we checked; fail clearly rather than index a hole
            for (Digest chainId : chain) {
                if (!layers.contains(chainId)) {
                    throw new ImageException(what + " lost layer " + chainId + " to a concurrent removal; run the command again");
                }
            }
            IndexedImage existing = contents.images().get(manifestDigest.toString());
            IndexedImage image = existing != null ? existing
                    : new IndexedImage(manifestDigest.toString(), configDigest.toString(),
                    chain.stream().map(Digest::toString).toList(), size, Instant.now().toString());
            contents.images().put(manifestDigest.toString(), image);
            for (ImageReference reference : references) {
                contents.references().put(reference.toString(), manifestDigest.toString());
            }
            return image;
        });
    }

    private void unpackAll(List<Descriptor> blobs, List<Digest> diffIds, List<Digest> chain, String what) {
        for (Descriptor blob : blobs) {
            if (!content.contains(blob.digestValue())) {
                throw new ImageException(what + " is incomplete: layer blob " + blob.digest()
                        + " is not in the store; pull or load the image again");
            }
        }
        int threads = Math.max(2, Runtime.getRuntime().availableProcessors());
        LayerWork.runAll(blobs.size(), threads, "cannot unpack " + what, n -> unpackOne(blobs.get(n), diffIds.get(n),
                chain.get(n), LayerWork.layerName(n, blobs.size(), blobs.get(n).digest(), what)));
    }

    private void unpackOne(Descriptor blob, Digest diffId, Digest chainId, String what) {
        if (layers.contains(chainId)) {
            return;
        }
        try (InputStream in = content.open(blob.digestValue())) {
            layers.unpack(chainId, diffId, in, what);
        } catch (IOException e) {
            throw new ImageException("cannot read " + what + ": " + e.getMessage(), e);
        } catch (LayerException e) {
            throw e;
        }
    }
}
