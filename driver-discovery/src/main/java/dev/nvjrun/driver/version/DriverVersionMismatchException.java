package dev.nvjrun.driver.version;

import dev.nvjrun.driver.DriverDiscoveryException;

/** The kernel module, NVML and the user-space libraries are not all the same driver version. */
public final class DriverVersionMismatchException extends DriverDiscoveryException {

    public DriverVersionMismatchException(String message) {
        super(message);
    }
}
