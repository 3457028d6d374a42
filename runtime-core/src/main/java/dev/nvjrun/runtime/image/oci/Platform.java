package dev.nvjrun.runtime.image.oci;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record Platform(String architecture, String os, String variant) {

    public static final Platform LINUX_AMD64 = new Platform("amd64", "linux", null);

    public boolean matches(Platform wanted) {
        return wanted.architecture().equals(architecture) && wanted.os().equals(os)
                && (wanted.variant() == null || wanted.variant().equals(variant));
    }

    @Override
    public String toString() {
        return os + "/" + architecture + (variant != null ? "/" + variant : "");
    }
}
