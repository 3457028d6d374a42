package dev.nvjrun.plugin.volume;

import java.nio.file.Path;

/**
 * A complete volume on disk.
 *
 * @param volume  the volume's name, for example {@code nvidia_driver}
 * @param version the driver version it was built for
 * @param path    {@code <volumes>/<volume>/<version>}
 */
public record InstalledVolume(String volume, String version, Path path) {

    /** Docker's name for it: {@code <volume>_<version>}. */
    public String dockerName() {
        return volume + "_" + version;
    }
}
