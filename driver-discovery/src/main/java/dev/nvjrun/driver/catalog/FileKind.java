package dev.nvjrun.driver.catalog;

/** What a driver file is, which decides where it goes in a container. */
public enum FileKind {
    LIB64, LIB32, BIN, FIRMWARE, IPC, DEVICE
}
