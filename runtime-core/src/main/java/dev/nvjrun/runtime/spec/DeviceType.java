package dev.nvjrun.runtime.spec;

/** Character or block device, as mknod and the device cgroup name them. */
public enum DeviceType {
    CHAR('c'), BLOCK('b');

    private final char letter;

    DeviceType(char letter) {
        this.letter = letter;
    }

    public char letter() {
        return letter;
    }
}
