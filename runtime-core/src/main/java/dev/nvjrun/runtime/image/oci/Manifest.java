package dev.nvjrun.runtime.image.oci;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/** An image manifest, Docker schema 2 or OCI (the two share this shape). */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record Manifest(int schemaVersion, String mediaType, Descriptor config, List<Descriptor> layers) {
}
