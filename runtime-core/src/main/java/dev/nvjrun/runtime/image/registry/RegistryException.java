package dev.nvjrun.runtime.image.registry;

import dev.nvjrun.runtime.image.ImageException;

/** A registry refused or failed a request; the message names the registry, the image and the fix. */
public final class RegistryException extends ImageException {
    public RegistryException(String message) {
        super(message);
    }

    public RegistryException(String message, Throwable cause) {
        super(message, cause);
    }
}
