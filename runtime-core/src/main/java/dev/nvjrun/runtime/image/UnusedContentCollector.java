package dev.nvjrun.runtime.image;

import dev.nvjrun.runtime.image.oci.Descriptor;
import dev.nvjrun.runtime.layer.LayerStore;
import dev.nvjrun.runtime.snapshot.StorageDriver;
import dev.nvjrun.runtime.store.ContentStore;
import dev.nvjrun.runtime.store.Digest;
import dev.nvjrun.runtime.store.FileTree;
import dev.nvjrun.runtime.store.ImageIndex;
import dev.nvjrun.runtime.store.IndexedImage;
import dev.nvjrun.runtime.store.StoreLayout;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Finds and deletes blobs and layers that no image and no overlay snapshot uses: right away for
 * the content of a removed image, and after a grace period for everything else, because a
 * command running now may have stored content it has not indexed yet. Runs under the store lock.
 */
final class UnusedContentCollector {

    private final StoreLayout layout;
    private final ContentStore content;
    private final LayerStore layers;
    private final ImageInstaller installer;

    UnusedContentCollector(StoreLayout layout, ContentStore content, LayerStore layers, ImageInstaller installer) {
        this.layout = layout;
        this.content = content;
        this.layers = layers;
        this.installer = installer;
    }

    int prune(ImageIndex.Contents contents, Duration grace) {
        content.cleanIngest(grace);
        layers.clean(grace);
        Set<Digest> usedBlobs = new HashSet<>();
        Set<Digest> usedLayers = new HashSet<>();
        for (IndexedImage image : contents.images().values()) {
            collectUse(image, usedBlobs, usedLayers);
        }
        usedLayers.addAll(layers.inUseBySnapshots(overlaySnapshots()));
        int removed = 0;
        for (Digest blob : content.list()) {
            if (!usedBlobs.contains(blob) && ContentStore.olderThan(content.path(blob), grace) && content.delete(blob)) {
                removed++;
            }
        }
        for (Digest chainId : layers.list()) {
            if (!usedLayers.contains(chainId) && ContentStore.olderThan(layout.layers().resolve(chainId.hex()), grace)) {
                layers.remove(chainId);
                removed++;
            }
        }
        return removed;
    }

    void deleteUnused(IndexedImage removed, ImageIndex.Contents remaining) {
        Set<Digest> usedBlobs = new HashSet<>();
        Set<Digest> usedLayers = new HashSet<>();
        for (IndexedImage image : remaining.images().values()) {
            collectUse(image, usedBlobs, usedLayers);
        }
        Set<Digest> candidatesBlobs = new HashSet<>();
        Set<Digest> candidateLayers = new HashSet<>();
        collectUse(removed, candidatesBlobs, candidateLayers);
        candidatesBlobs.removeAll(usedBlobs);
        candidateLayers.removeAll(usedLayers);
        candidateLayers.removeAll(layers.inUseBySnapshots(overlaySnapshots()));
        candidatesBlobs.forEach(content::delete);
        candidateLayers.forEach(layers::remove);
    }

    private Path overlaySnapshots() {
        return layout.snapshots().resolve(StorageDriver.OVERLAY.driverName());
    }

    private void collectUse(IndexedImage image, Set<Digest> blobs, Set<Digest> chainIds) {
        blobs.add(image.manifestDigest());
        blobs.add(image.configDigest());
        if (content.contains(image.manifestDigest())) {
            for (Descriptor layer : installer.readManifest(image.manifestDigest(), image.manifest()).layers()) {
                blobs.add(layer.digestValue());
            }
        }
        image.chainIds().forEach(chainId -> chainIds.add(Digest.parse(chainId)));
    }

    StoreUsage usage(int images) {
        List<Digest> blobs = content.list();
        long blobBytes = blobs.stream().mapToLong(content::size).sum();
        List<Digest> chainIds = layers.list();
        long layerBytes = 0;
        for (Digest chainId : chainIds) {
            layerBytes += new FileTree(layout.layers().resolve(chainId.hex())).size();
        }
        return new StoreUsage(images, blobs.size(), blobBytes, chainIds.size(), layerBytes);
    }

}
