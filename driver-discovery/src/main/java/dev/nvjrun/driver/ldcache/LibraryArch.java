package dev.nvjrun.driver.ldcache;

/**
 * The ABI a library was built for, as the cache's flags word encodes it. Only the ABIs an x86_64
 * host may hold are named: NVIDIA ships x86_64 and i386 driver libraries there.
 */
public enum LibraryArch {
    X86_64,
    I386;

    static final int FLAG_TYPE_MASK = 0x00ff;
    static final int FLAG_ELF = 0x0001;
    static final int FLAG_ELF_LIBC6 = 0x0003;
    static final int FLAG_REQUIRED_MASK = 0xff00;
    static final int FLAG_X8664_LIB64 = 0x0300;

    /** Whether ld.so of this ABI accepts an entry with these flags (glibc's _dl_cache_check_flags). */
    public boolean accepts(int flags) {
        return switch (this) {
            case X86_64 -> flags == (FLAG_ELF_LIBC6 | FLAG_X8664_LIB64);
            case I386 -> flags == FLAG_ELF || flags == FLAG_ELF_LIBC6;
        };
    }
}
