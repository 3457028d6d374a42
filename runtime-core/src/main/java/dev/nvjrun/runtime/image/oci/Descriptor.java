package dev.nvjrun.runtime.image.oci;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.nvjrun.runtime.store.Digest;

import java.util.Map;

/** An OCI content descriptor: what a manifest or index says about one blob. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record Descriptor(String mediaType, String digest, long size, Map<String, String> annotations, Platform platform) {

    public static final String REF_NAME = "org.opencontainers.image.ref.name";
    public static final String CONTAINERD_NAME = "io.containerd.image.name";

    public Descriptor(String mediaType, Digest digest, long size) {
        this(mediaType, digest.toString(), size, null, null);
    }

    public Digest digestValue() {
        return Digest.parse(digest);
    }

    public String annotation(String key) {
        return annotations == null ? null : annotations.get(key);
    }
}
