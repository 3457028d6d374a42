package dev.nvjrun.fakegpu.elf;

/**
 * The two kinds of ELF file a Linux x86 driver ships: 64-bit x86-64 and 32-bit i386 objects.
 * Sizes are those of the ELF64/ELF32 headers, program headers, section headers, symbols and
 * dynamic entries.
 */
public enum ElfClass {
    X86_64(2, 62, 64, 56, 64, 24, 16, 8),
    I386(1, 3, 52, 32, 40, 16, 8, 4);

    final int identClass;
    final int machine;
    final int headerSize;
    final int programHeaderSize;
    final int sectionHeaderSize;
    final int symbolSize;
    final int dynamicEntrySize;
    final int wordSize;

    ElfClass(int identClass, int machine, int headerSize, int programHeaderSize, int sectionHeaderSize,
             int symbolSize, int dynamicEntrySize, int wordSize) {
        this.identClass = identClass;
        this.machine = machine;
        this.headerSize = headerSize;
        this.programHeaderSize = programHeaderSize;
        this.sectionHeaderSize = sectionHeaderSize;
        this.symbolSize = symbolSize;
        this.dynamicEntrySize = dynamicEntrySize;
        this.wordSize = wordSize;
    }

    /** The multiarch library directory this class of object lives in on Debian. */
    public String multiarchDirectory() {
        return this == X86_64 ? "usr/lib/x86_64-linux-gnu" : "usr/lib/i386-linux-gnu";
    }
}
