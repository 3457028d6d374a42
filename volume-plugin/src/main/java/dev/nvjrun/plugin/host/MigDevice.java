package dev.nvjrun.plugin.host;

/**
 * A MIG device carved out of a GPU.
 *
 * @param uuid             {@code MIG-…}
 * @param gpuInstance      GPU instance id
 * @param computeInstance  compute instance id
 * @param profile          profile name, for example {@code 1g.10gb}
 */
public record MigDevice(String uuid, int gpuInstance, int computeInstance, String profile) {
}
