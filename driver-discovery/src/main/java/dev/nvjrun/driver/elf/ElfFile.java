package dev.nvjrun.driver.elf;

import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What this project needs to know about an ELF object, read the way ld.so reads it: from the
 * program headers and the dynamic segment, never from section headers (which strip may remove).
 *
 * @param machine e_machine (62 x86-64, 3 i386, 183 AArch64, ...)
 * @param soname DT_SONAME, when the object has one
 * @param needed DT_NEEDED entries in order
 * @param abiTag the GNU ABI note, when present
 */
public record ElfFile(Path path, ElfClass elfClass, ByteOrder byteOrder, int machine, ElfType type,
                      Optional<String> soname, List<String> needed, Optional<GnuAbiTag> abiTag) {

    public static final int EM_386 = 3;
    public static final int EM_X86_64 = 62;

    public ElfFile {
        needed = List.copyOf(needed);
    }

    /** Parses {@code path}; the whole file is never loaded, only the headers and segments named in them. */
    public static ElfFile read(Path path) throws ElfFormatException {
        return ElfParser.parse(path);
    }

    /** Whether a DT_NEEDED entry starts with {@code prefix} (e.g. "libnvidia-glcore.so"). */
    public boolean needsLibraryStartingWith(String prefix) {
        return needed.stream().anyMatch(n -> n.startsWith(prefix));
    }
}
