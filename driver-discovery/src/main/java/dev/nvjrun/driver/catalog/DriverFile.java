package dev.nvjrun.driver.catalog;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * One file of the host driver that a container needs.
 *
 * @param hostPath the real file (symlinks resolved inside the driver root), e.g.
 *     DRIVERROOT/usr/lib/x86_64-linux-gnu/libcuda.so.550.54.15
 * @param soname the library's DT_SONAME (e.g. "libcuda.so.1"), present for LIB64 and LIB32 only
 */
public record DriverFile(Path hostPath, Capability capability, FileKind kind, Optional<String> soname) {

    public DriverFile {
        Objects.requireNonNull(hostPath, "hostPath");
        Objects.requireNonNull(capability, "capability");
        Objects.requireNonNull(kind, "kind");
        soname = soname == null ? Optional.empty() : soname;
    }

    public boolean isLibrary() {
        return kind == FileKind.LIB64 || kind == FileKind.LIB32;
    }
}
