package dev.nvjrun.driver.ldcache;

/** The three layouts ldconfig can write ({@code ldconfig -c old|compat|new}). */
public enum LdCacheFormat {
    /** Only the libc5-era "ld.so-1.7.0" table. */
    OLD,
    /** The old table followed, 8-byte aligned, by a "glibc-ld.so.cache1.1" table. */
    COMPAT,
    /** Only the "glibc-ld.so.cache1.1" table (glibc 2.32 and later write this by default). */
    NEW
}
