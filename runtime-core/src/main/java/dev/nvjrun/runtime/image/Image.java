package dev.nvjrun.runtime.image;

import dev.nvjrun.runtime.image.oci.ImageConfig;
import dev.nvjrun.runtime.store.Digest;

import java.util.List;

/**
 * An image in the store, as {@code nvjrun images} and {@code image inspect} show it.
 *
 * @param id         config digest, what Docker calls the image id
 * @param manifest   manifest digest, what a registry calls the image digest
 * @param references normalised names that point at it, e.g. {@code docker.io/library/busybox:latest}
 * @param chainIds   unpacked layers, bottom first
 * @param size       bytes of the layer blobs
 */
public record Image(Digest id, Digest manifest, List<String> references, ImageConfig config, List<Digest> chainIds,
                    long size, String added) {

    public Image {
        references = List.copyOf(references);
        chainIds = List.copyOf(chainIds);
    }
}
