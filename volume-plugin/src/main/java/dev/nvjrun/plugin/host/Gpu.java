package dev.nvjrun.plugin.host;

import java.util.List;
import java.util.Objects;

/**
 * One GPU as the daemon hands it out.
 *
 * @param index      NVML index
 * @param uuid       {@code GPU-…}
 * @param minor      minor number of its device node
 * @param devicePath the device node, for example {@code /dev/nvidia0}
 * @param model      product name, or null when unknown
 * @param pciBusId   PCI bus id, or null when unknown
 * @param memoryMiB  total memory in MiB, 0 when unknown
 * @param topology   the links from this GPU to its peers
 * @param migDevices its MIG devices, empty when MIG is off
 */
public record Gpu(int index, String uuid, int minor, String devicePath, String model, String pciBusId,
                  long memoryMiB, List<GpuLink> topology, List<MigDevice> migDevices) {

    public Gpu {
        Objects.requireNonNull(uuid, "uuid");
        Objects.requireNonNull(devicePath, "devicePath");
        topology = List.copyOf(topology);
        migDevices = List.copyOf(migDevices);
    }

    /** A GPU with only the fields that the Docker arguments need. */
    public static Gpu of(int index, String uuid, int minor) {
        return new Gpu(index, uuid, minor, "/dev/nvidia" + minor, null, null, 0, List.of(), List.of());
    }
}
