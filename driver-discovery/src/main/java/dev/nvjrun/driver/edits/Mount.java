package dev.nvjrun.driver.edits;

import java.nio.file.Path;
import java.util.Objects;

/** Something mounted into the container. */
public sealed interface Mount {

    /** Absolute path inside the container. */
    String containerPath();

    /**
     * A bind mount of one host file or directory.
     *
     * @param hostPath the real host path (already resolved under the driver root)
     * @param readOnly false only for the MPS pipe directory, which clients write to
     */
    record Bind(Path hostPath, String containerPath, boolean readOnly) implements Mount {
        public Bind {
            Objects.requireNonNull(hostPath, "hostPath");
            Objects.requireNonNull(containerPath, "containerPath");
        }
    }

    /**
     * nvidia-docker 1.0's driver volume, mounted read-only: the native runtime binds
     * {@code hostDirectory}; Docker is given {@code volumeName} with the volume driver.
     */
    record DriverVolume(String volumeName, Path hostDirectory, String containerPath) implements Mount {
        public DriverVolume {
            Objects.requireNonNull(volumeName, "volumeName");
            Objects.requireNonNull(hostDirectory, "hostDirectory");
            Objects.requireNonNull(containerPath, "containerPath");
        }
    }
}
