package dev.nvjrun.launcher;

import java.nio.file.Path;

/**
 * Which host the command looks at: the real one ("/") or a simulated one from nvjrun-fakegpu.
 *
 * @param nvmlLibrary explicit NVML library, or null to find it through the driver root's ld.so.cache
 */
record HostSelection(Path driverRoot, Path devRoot, Path procRoot, Path nvmlLibrary) {
}
