package dev.nvjrun.driver.devices;

/** The kind of device special file, as in mknod's "c" and "b". */
public enum DeviceType {
    CHAR,
    BLOCK
}
