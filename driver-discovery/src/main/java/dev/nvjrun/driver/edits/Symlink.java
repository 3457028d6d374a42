package dev.nvjrun.driver.edits;

/**
 * A symbolic link to create in the container, such as {@code libcuda.so.1 -> libcuda.so.550.54.15},
 * so that a library's SONAME resolves even before ldconfig has run.
 *
 * @param containerPath where the link goes
 * @param target        what it points to (relative to its directory)
 */
public record Symlink(String containerPath, String target) {
}
