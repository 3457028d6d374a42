package dev.nvjrun.driver.elf;

/** EI_CLASS: the word size of the object. */
public enum ElfClass {
    ELF32,
    ELF64
}
