package dev.nvjrun.driver.request;

import java.util.List;
import java.util.Objects;

/**
 * One GPU of the host, filled in by the caller from NVML.
 *
 * @param index             NVML index
 * @param uuid              {@code GPU-…}
 * @param minor             minor number of {@code /dev/nvidiaN}
 * @param pciBusId          PCI bus id ({@code 00000000:3B:00.0}), or empty when unknown
 * @param architecture      architecture name ({@code Ampere}), or empty when unknown
 * @param brand             brand in libnvidia-container's spelling ({@code tesla}, {@code nvidia},
 *                          {@code geforcertx}; see {@link GpuBrand}), or empty when unknown
 * @param computeCapability {@code 8.0}, or empty when unknown
 * @param migDevices        its MIG devices in NVML order, empty when MIG is off
 */
public record HostGpu(int index, String uuid, int minor, String pciBusId, String architecture, String brand,
                      String computeCapability, List<HostMigDevice> migDevices) {

    public HostGpu {
        Objects.requireNonNull(uuid, "uuid");
        pciBusId = Objects.requireNonNullElse(pciBusId, "");
        architecture = Objects.requireNonNullElse(architecture, "");
        brand = Objects.requireNonNullElse(brand, "");
        computeCapability = Objects.requireNonNullElse(computeCapability, "");
        migDevices = List.copyOf(migDevices);
    }

    /** A GPU with only the facts that device selection needs. */
    public static HostGpu of(int index, String uuid, int minor) {
        return new HostGpu(index, uuid, minor, "", "", "", "", List.of());
    }

    /** The device node path, {@code /dev/nvidia<minor>}. */
    public String devicePath() {
        return "/dev/nvidia" + minor;
    }
}
