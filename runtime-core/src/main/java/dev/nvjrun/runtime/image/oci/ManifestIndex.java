package dev.nvjrun.runtime.image.oci;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/** An OCI image index or a Docker manifest list. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ManifestIndex(int schemaVersion, String mediaType, List<Descriptor> manifests) {
}
