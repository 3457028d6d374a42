package dev.nvjrun.plugin.host;

import dev.nvjrun.driver.DriverDiscoveryException;
import dev.nvjrun.driver.catalog.Capability;
import dev.nvjrun.driver.catalog.DriverCatalog;
import dev.nvjrun.driver.catalog.DriverFile;
import dev.nvjrun.plugin.volume.DriverVolume;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Which of the host driver's files go into a volume, as nvidia-docker 1.0 chose them
 * (src/nvidia/volumes.go): the utility, compute, video and graphics libraries in both word sizes
 * ({@code lib64} and {@code lib}), and the utility and compute binaries it named ({@code bin}).
 * Firmware, IPC sockets and device nodes never belong in a volume.
 *
 * @param catalog the host's driver files
 */
public record DriverVolumeFiles(DriverCatalog catalog) {

    /** nvidia_driver's capabilities; COMPAT32 because 1.0 took the 32-bit libraries the cache listed too. */
    private static final Set<Capability> CAPABILITIES = EnumSet.of(Capability.UTILITY, Capability.COMPUTE,
            Capability.VIDEO, Capability.GRAPHICS, Capability.COMPAT32);
    /** 1.0's binaries: the catalogue also knows nv-fabricmanager, which 1.0 never put in the volume. */
    private static final Set<String> BINARIES = Set.of("nvidia-cuda-mps-control", "nvidia-cuda-mps-server",
            "nvidia-debugdump", "nvidia-persistenced", "nvidia-smi");

    /**
     * The files of {@code volume} for driver {@code version}; empty for a volume the plugin does not serve.
     *
     * @throws DriverDiscoveryException when the driver root's cache or files cannot be read
     */
    public List<VolumeFile> forVolume(String volume, String version) throws DriverDiscoveryException {
        if (!DriverVolume.NVIDIA_DRIVER.name().equals(volume)) {
            return List.of();
        }
        List<VolumeFile> files = new ArrayList<>();
        for (DriverFile file : catalog.find(CAPABILITIES, version)) {
            switch (file.kind()) {
                case LIB64 -> files.add(new VolumeFile(file.hostPath(), VolumeDir.LIB64, file.soname().orElse(null)));
                case LIB32 -> files.add(new VolumeFile(file.hostPath(), VolumeDir.LIB, file.soname().orElse(null)));
                case BIN -> {
                    if (BINARIES.contains(file.hostPath().getFileName().toString())) {
                        files.add(new VolumeFile(file.hostPath(), VolumeDir.BIN, null));
                    }
                }
                case FIRMWARE, IPC, DEVICE -> {
                    // Mounted by a runtime, not copied into a volume.
                }
            }
        }
        return List.copyOf(files);
    }
}
