package dev.nvjrun.launcher.image;

import dev.nvjrun.runtime.image.reference.ImageReference;

/**
 * A stored reference split into Docker's REPOSITORY and TAG columns, in familiar form
 * ({@code docker.io/library/busybox:latest} is {@code busybox} and {@code latest}).
 */
record ImageName(String repository, String tag) {

    static final String NONE = "<none>";

    static ImageName of(String storedReference) {
        ImageReference reference = ImageReference.parse(storedReference);
        String familiar = reference.familiar();
        int cut = familiar.length();
        if (reference.digest() != null) {
            cut -= reference.digest().length() + 1;
        }
        if (reference.tag() != null) {
            cut -= reference.tag().length() + 1;
        }
        return new ImageName(familiar.substring(0, cut), reference.tag() != null ? reference.tag() : NONE);
    }

    /** {@code busybox:latest}, or the repository alone when there is no tag. */
    String familiar() {
        return tag.equals(NONE) ? repository : repository + ":" + tag;
    }
}
