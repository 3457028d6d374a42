package dev.nvjrun.runtime.image;

/** What {@code nvjrun system df} shows: counts and bytes on disk under the state root. */
public record StoreUsage(int images, int blobs, long blobBytes, int layers, long layerBytes) {
}
