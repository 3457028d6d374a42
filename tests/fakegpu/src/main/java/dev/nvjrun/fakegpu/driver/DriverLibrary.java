package dev.nvjrun.fakegpu.driver;

import dev.nvjrun.fakegpu.elf.AbiTag;
import java.util.List;

/**
 * One library of the fake driver: its file name, SONAME and NEEDED entries as the real driver
 * has them, the capability it belongs to, and whether a 32-bit copy ships too.
 */
public record DriverLibrary(String fileName, String soname, List<String> needed, Capability capability,
                            boolean has32Bit, AbiTag abiTag) {

    public DriverLibrary {
        needed = List.copyOf(needed);
    }
}
