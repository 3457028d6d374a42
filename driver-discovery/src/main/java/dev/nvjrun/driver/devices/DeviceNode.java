package dev.nvjrun.driver.devices;

/**
 * A device node a GPU container needs.
 *
 * @param path where the node lives, as an absolute path from the device root ("/dev/nvidia0");
 *     the same path is used inside the container
 * @param mode permission bits (e.g. 0666)
 */
public record DeviceNode(String path, int major, int minor, DeviceType type, int mode) {

    /** Linux's dev_t encoding (glibc gnu_dev_makedev), as stat's st_rdev reports it. */
    public long rdev() {
        long ma = Integer.toUnsignedLong(major);
        long mi = Integer.toUnsignedLong(minor);
        return ((ma & 0xfffL) << 8) | ((ma & ~0xfffL) << 32) | (mi & 0xffL) | ((mi & ~0xffL) << 12);
    }

    static int majorOf(long rdev) {
        return (int) (((rdev >>> 8) & 0xfffL) | ((rdev >>> 32) & ~0xfffL));
    }

    static int minorOf(long rdev) {
        return (int) ((rdev & 0xffL) | ((rdev >>> 12) & ~0xffL));
    }
}
