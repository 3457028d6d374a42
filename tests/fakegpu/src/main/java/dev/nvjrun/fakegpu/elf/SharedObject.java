package dev.nvjrun.fakegpu.elf;

import java.util.List;

/** What a stub shared object declares in its dynamic section. */
public record SharedObject(ElfClass elfClass, String soname, List<String> needed, AbiTag abiTag) {

    public SharedObject {
        if (soname == null || soname.isBlank() || soname.contains("/")) {
            throw new IllegalArgumentException("shared object SONAME '" + soname
                    + "' is empty or contains '/'; give a plain file name such as libcuda.so.1");
        }
        needed = List.copyOf(needed);
    }
}
