package dev.nvjrun.driver.edits;

/**
 * A small file to write into the container, such as the ld.so.conf.d entry.
 *
 * @param containerPath absolute path inside the container
 * @param content       the whole text
 */
public record ContainerFile(String containerPath, String content) {
}
