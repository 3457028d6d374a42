package dev.nvjrun.fakegpu.elf;

/**
 * The GNU ABI tag note (NT_GNU_ABI_TAG): the oldest Linux kernel an object supports.
 * libnvidia-container only picks a libnvidia-tls carrying 2.3.99, so the tag matters.
 */
public record AbiTag(int major, int minor, int patch) {

    /** What most of NVIDIA's driver libraries carry. */
    public static final AbiTag LINUX_2_2_0 = new AbiTag(2, 2, 0);
    /** The "new TLS ABI" tag of the libnvidia-tls that container tools select. */
    public static final AbiTag LINUX_2_3_99 = new AbiTag(2, 3, 99);

    public AbiTag {
        if (major < 0 || minor < 0 || patch < 0) {
            throw new IllegalArgumentException("ABI tag " + major + "." + minor + "." + patch
                    + " has a negative part; use non-negative kernel version numbers");
        }
    }
}
