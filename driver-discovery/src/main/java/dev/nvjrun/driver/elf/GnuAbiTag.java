package dev.nvjrun.driver.elf;

/**
 * The NT_GNU_ABI_TAG note: the OS and the oldest kernel the object runs on.
 *
 * @param os 0 Linux, 1 Hurd, 2 Solaris, 3 FreeBSD, ...
 */
public record GnuAbiTag(int os, int major, int minor, int patch) {

    public static final int OS_LINUX = 0;

    public boolean isLinux(int wantMajor, int wantMinor, int wantPatch) {
        return os == OS_LINUX && major == wantMajor && minor == wantMinor && patch == wantPatch;
    }

    @Override
    public String toString() {
        return (os == OS_LINUX ? "Linux" : "OS " + os) + " " + major + "." + minor + "." + patch;
    }
}
