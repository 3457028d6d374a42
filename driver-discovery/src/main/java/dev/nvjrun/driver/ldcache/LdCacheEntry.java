package dev.nvjrun.driver.ldcache;

import java.util.Optional;

/**
 * One row of the cache: a library name (usually its SONAME) and the host path it resolves to.
 *
 * @param name library name, e.g. "libcuda.so.1"
 * @param path absolute path as seen from the driver root, e.g. "/usr/lib/x86_64-linux-gnu/libcuda.so.1"
 * @param flags ldconfig's flags word: low byte the library type, high byte the required ABI
 * @param osVersion minimum kernel from the ELF ABI note (0 when none; old-format entries are always 0)
 * @param hwcap hardware capability bits, or a glibc-hwcaps subdirectory index (old-format entries are 0)
 * @param hwcapsSubdirectory name of the glibc-hwcaps subdirectory (e.g. "x86-64-v3") when the entry uses one
 */
public record LdCacheEntry(String name, String path, int flags, int osVersion, long hwcap,
                           Optional<String> hwcapsSubdirectory) {

    public LdCacheEntry {
        hwcapsSubdirectory = hwcapsSubdirectory == null ? Optional.empty() : hwcapsSubdirectory;
    }

    /** Whether ld.so would choose this entry for a process of the given ABI, ignoring hwcaps. */
    public boolean isFor(LibraryArch arch) {
        return arch.accepts(flags);
    }

    /** Whether this entry applies only on CPUs with particular capabilities. */
    public boolean isHardwareSpecific() {
        return hwcap != 0;
    }
}
