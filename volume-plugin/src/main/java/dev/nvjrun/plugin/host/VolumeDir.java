package dev.nvjrun.plugin.host;

/** The directories of a driver volume, as nvidia-docker 1.0 laid them out. */
public enum VolumeDir {
    BIN("bin"), LIB("lib"), LIB64("lib64");

    private final String dirName;

    VolumeDir(String dirName) {
        this.dirName = dirName;
    }

    /** The directory's name inside the volume. */
    public String dirName() {
        return dirName;
    }
}
