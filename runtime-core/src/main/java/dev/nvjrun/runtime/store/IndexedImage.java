package dev.nvjrun.runtime.store;

import java.util.List;

/**
 * One image known to the store.
 *
 * @param manifest  digest of the manifest blob (what a registry calls the image digest)
 * @param config    digest of the config blob (what Docker shows as the image id)
 * @param chainIds  chain ids of the unpacked layers, bottom first
 * @param size      bytes of the layer blobs
 * @param added     when this store first got the image (ISO-8601)
 */
public record IndexedImage(String manifest, String config, List<String> chainIds, long size, String added) {

    public IndexedImage {
        chainIds = List.copyOf(chainIds);
    }

    public Digest manifestDigest() {
        return Digest.parse(manifest);
    }

    public Digest configDigest() {
        return Digest.parse(config);
    }
}
