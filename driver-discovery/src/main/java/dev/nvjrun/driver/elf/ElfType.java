package dev.nvjrun.driver.elf;

/** e_type, folded to the kinds this project tells apart. */
public enum ElfType {
    NONE, RELOCATABLE, EXECUTABLE, SHARED_OBJECT, CORE, OTHER;

    static ElfType of(int eType) {
        return switch (eType) {
            case 0 -> NONE;
            case 1 -> RELOCATABLE;
            case 2 -> EXECUTABLE;
            case 3 -> SHARED_OBJECT;
            case 4 -> CORE;
            default -> OTHER;
        };
    }
}
