package dev.nvjrun.plugin.host;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A driver file that goes into a volume.
 *
 * @param source the file on the host (symbolic links are resolved when the volume is built)
 * @param dir    where it goes in the volume
 * @param soname its ELF SONAME, or null for binaries and libraries without one
 */
public record VolumeFile(Path source, VolumeDir dir, String soname) {

    public VolumeFile {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(dir, "dir");
    }
}
