package dev.nvjrun.driver.ldcache;

import java.util.Optional;

/**
 * The ABI a library was built for, as the cache's flags word encodes it: the ABIs of the hosts NVIDIA
 * ships drivers for. An x86_64 host holds x86_64 and i386 driver libraries (compat32); an arm64 host
 * (Grace Hopper, Grace Blackwell) holds AArch64 ones only.
 */
public enum LibraryArch {
    X86_64,
    I386,
    AARCH64;

    static final int FLAG_TYPE_MASK = 0x00ff;
    static final int FLAG_ELF = 0x0001;
    static final int FLAG_ELF_LIBC6 = 0x0003;
    static final int FLAG_REQUIRED_MASK = 0xff00;
    static final int FLAG_X8664_LIB64 = 0x0300;
    static final int FLAG_AARCH64_LIB64 = 0x0a00;

    /** The 64-bit ABI of this host's libraries, from the JVM's {@code os.arch}. */
    public static LibraryArch host() {
        return of(System.getProperty("os.arch"));
    }

    static LibraryArch of(String osArch) {
        return switch (osArch) {
            case "amd64", "x86_64" -> X86_64;
            case "aarch64", "arm64" -> AARCH64;
            default -> throw new IllegalArgumentException("NVIDIA driver libraries are looked up for x86_64 and aarch64 hosts,"
                    + " not " + osArch);
        };
    }

    /** The 32-bit ABI whose libraries the driver ships beside this one for compat32, if any. */
    public Optional<LibraryArch> compat32() {
        return this == X86_64 ? Optional.of(I386) : Optional.empty();
    }

    /** Whether ld.so of this ABI accepts an entry with these flags (glibc's _dl_cache_check_flags). */
    public boolean accepts(int flags) {
        return switch (this) {
            case X86_64 -> flags == (FLAG_ELF_LIBC6 | FLAG_X8664_LIB64);
            case I386 -> flags == FLAG_ELF || flags == FLAG_ELF_LIBC6;
            case AARCH64 -> flags == (FLAG_ELF_LIBC6 | FLAG_AARCH64_LIB64);
        };
    }
}
