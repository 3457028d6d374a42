package dev.nvjrun.driver.request;

import dev.nvjrun.driver.DriverDiscoveryException;

/**
 * A GPU request that cannot be honoured: malformed syntax, an unknown device, an unsatisfied
 * requirement or too few free GPUs. The message is one sentence for the user.
 */
public class GpuRequestException extends DriverDiscoveryException {

    public GpuRequestException(String message) {
        super(message);
    }
}
