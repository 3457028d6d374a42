package dev.nvjrun.driver.elf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nvjrun.driver.HostTools;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ElfFileTest {

    private static final Pattern NEEDED = Pattern.compile("\\(NEEDED\\)\\s+Shared library: \\[(.*)]");
    private static final Pattern SONAME = Pattern.compile("\\(SONAME\\)\\s+Library soname: \\[(.*)]");
    private static final Pattern ABI = Pattern.compile("OS: (\\w+), ABI: (\\d+)\\.(\\d+)\\.(\\d+)");

    @ParameterizedTest
    @ValueSource(strings = {"libz.so.1", "libc.so.6", "libstdc++.so.6", "libssl.so.3", "libm.so.6",
            "libpthread.so.0", "libGL.so.1", "libLLVM-15.so.1"})
    void readsSonameAndNeededLikeReadelf(String lib) throws Exception {
        Path path = Path.of("/usr/lib/x86_64-linux-gnu", lib).toRealPath();
        String dynamic = HostTools.runText("readelf", "-dW", path.toString());
        ElfFile elf = ElfFile.read(path);
        assertEquals(all(NEEDED, dynamic), elf.needed());
        assertEquals(all(SONAME, dynamic).stream().findFirst(), elf.soname());
        assertEquals(ElfClass.ELF64, elf.elfClass());
        assertEquals(ByteOrder.LITTLE_ENDIAN, elf.byteOrder());
        assertEquals(ElfFile.EM_X86_64, elf.machine());
        assertEquals(ElfType.SHARED_OBJECT, elf.type());
        assertEquals(abiTag(HostTools.runText("readelf", "-nW", path.toString())), elf.abiTag());
    }

    @Test
    void readsTheGnuAbiNoteOfLibc() throws Exception {
        ElfFile libc = ElfFile.read(Path.of("/usr/lib/x86_64-linux-gnu/libc.so.6"));
        GnuAbiTag tag = libc.abiTag().orElseThrow();
        assertEquals(GnuAbiTag.OS_LINUX, tag.os());
        assertTrue(tag.major() >= 2, tag.toString());
    }

    @Test
    void readsAnExecutableWithoutSoname() throws Exception {
        Path ls = Path.of("/usr/bin/ls");
        ElfFile elf = ElfFile.read(ls);
        assertEquals(Optional.empty(), elf.soname());
        assertEquals(all(NEEDED, HostTools.runText("readelf", "-dW", ls.toString())), elf.needed());
        assertTrue(elf.needsLibraryStartingWith("libc.so"));
    }

    @Test
    void reads32BitObjects(@TempDir Path dir) throws Exception {
        Path libc = dir.resolve("libc.so.6");
        Path lib = dir.resolve("libnvidia-foo.so.1");
        HostTools.sharedObject(libc, "libc.so.6", true, List.of());
        HostTools.sharedObject(lib, "libnvidia-foo.so.1", true, List.of(libc));
        ElfFile elf = ElfFile.read(lib);
        assertEquals(ElfClass.ELF32, elf.elfClass());
        assertEquals(ElfFile.EM_386, elf.machine());
        assertEquals(Optional.of("libnvidia-foo.so.1"), elf.soname());
        assertEquals(List.of("libc.so.6"), elf.needed());
    }

    private static List<String> all(Pattern p, String text) {
        return text.lines().map(p::matcher).filter(Matcher::find).map(m -> m.group(1)).toList();
    }

    private static Optional<GnuAbiTag> abiTag(String notes) {
        Matcher m = ABI.matcher(notes);
        if (!m.find()) {
            return Optional.empty();
        }
        int os = switch (m.group(1)) {
            case "Linux" -> 0;
            case "Hurd" -> 1;
            case "Solaris" -> 2;
            default -> 3;
        };
        return Optional.of(new GnuAbiTag(os, Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)),
                Integer.parseInt(m.group(4))));
    }
}
