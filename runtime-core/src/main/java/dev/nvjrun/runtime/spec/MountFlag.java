package dev.nvjrun.runtime.spec;

/** mount(2) flags, with the kernel's bit values (linux/mount.h). */
public enum MountFlag {
    RDONLY(1), NOSUID(2), NODEV(4), NOEXEC(8), REMOUNT(32), NOATIME(1024), BIND(4096), REC(16384),
    PRIVATE(1 << 18), SLAVE(1 << 19), STRICTATIME(1 << 24);

    private final long bit;

    MountFlag(long bit) {
        this.bit = bit;
    }

    public long bit() {
        return bit;
    }
}
