package dev.nvjrun.driver.catalog;

import dev.nvjrun.driver.DriverDiscoveryException;

/** The driver root holds no usable NVIDIA driver. */
public final class DriverNotFoundException extends DriverDiscoveryException {

    public DriverNotFoundException(String message) {
        super(message);
    }

    public DriverNotFoundException(String message, Throwable cause) {
        super(message, cause);
    }
}
