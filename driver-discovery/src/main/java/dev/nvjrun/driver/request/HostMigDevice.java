package dev.nvjrun.driver.request;

import java.util.Objects;

/**
 * A MIG device of a GPU, as NVML reports it.
 *
 * @param uuid            {@code MIG-…}
 * @param gpuInstance     GPU instance id
 * @param computeInstance compute instance id
 */
public record HostMigDevice(String uuid, int gpuInstance, int computeInstance) {

    public HostMigDevice {
        Objects.requireNonNull(uuid, "uuid");
    }
}
