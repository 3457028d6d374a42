package dev.nvjrun.driver.elf;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nvjrun.driver.HostTools;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Damaged copies of a real 64-bit shared object, and the problem each must be reported as. */
class CorruptElfFileTest {

    @TempDir
    static Path dir;
    static byte[] original;
    static int dynamicOffset;

    @BeforeAll
    static void buildLibrary() throws IOException {
        Path needed = dir.resolve("libdep.so.1");
        HostTools.sharedObject(needed, "libdep.so.1", false, List.of());
        Path lib = dir.resolve("libgood.so.1");
        HostTools.sharedObject(lib, "libgood.so.1", false, List.of(needed));
        original = Files.readAllBytes(lib);
        ByteBuffer b = ByteBuffer.wrap(original).order(ByteOrder.LITTLE_ENDIAN);
        long phoff = b.getLong(32);
        for (int i = 0; i < b.getShort(56); i++) {
            int at = (int) phoff + i * 56;
            if (b.getInt(at) == 2) {
                dynamicOffset = (int) b.getLong(at + 8);
            }
        }
    }

    static Stream<Arguments> corpus() {
        return Stream.of(
                Arguments.of("empty", cut(0), "truncated: 0 bytes"),
                Arguments.of("cut inside header", cut(40), "shorter than the 64-byte ELF header"),
                Arguments.of("wrong magic", edit(b -> b.put(1, (byte) 'X')), "wrong magic"),
                Arguments.of("unknown class", edit(b -> b.put(4, (byte) 7)), "unknown ELF class 7"),
                Arguments.of("wrong class", edit(b -> b.put(4, (byte) 1)), "wrong class"),
                Arguments.of("unknown data encoding", edit(b -> b.put(5, (byte) 9)), "unknown data encoding 9"),
                Arguments.of("program headers past the end", edit(b -> b.putLong(32, 1L << 40)), "offset past the end"),
                Arguments.of("strtab outside PT_LOAD", dynamic(5, 0x7fff_0000_0000L), "not inside any PT_LOAD segment"),
                Arguments.of("soname index past strtab", dynamic(14, 1 << 20), "string offset out of range"),
                Arguments.of("truncated after headers", cut(1200), "offset past the end"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void refusesADamagedObjectNamingFileAndProblem(String what, Damage damage, String problem) throws IOException {
        Path file = dir.resolve(what.replace(' ', '-') + ".so");
        Files.write(file, damage.apply(original));
        ElfFormatException e = assertThrows(ElfFormatException.class, () -> ElfFile.read(file));
        assertTrue(e.getMessage().startsWith(file + " is not a usable ELF file: "), e.getMessage());
        assertTrue(e.getMessage().contains(problem), e.getMessage());
    }

    @Test
    void refusesAMissingFileSayingSo() {
        Path file = dir.resolve("absent.so");
        ElfFormatException e = assertThrows(ElfFormatException.class, () -> ElfFile.read(file));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    }

    interface Damage {
        byte[] apply(byte[] original);
    }

    private static Damage cut(int length) {
        return b -> Arrays.copyOf(b, length);
    }

    private static Damage edit(Consumer<ByteBuffer> change) {
        return b -> {
            ByteBuffer c = ByteBuffer.wrap(Arrays.copyOf(b, b.length)).order(ByteOrder.LITTLE_ENDIAN);
            change.accept(c);
            return c.array();
        };
    }

    /** Sets the value of the first dynamic entry with {@code tag}. */
    private static Damage dynamic(long tag, long value) {
        return edit(b -> {
            for (int at = dynamicOffset; b.getLong(at) != 0; at += 16) {
                if (b.getLong(at) == tag) {
                    b.putLong(at + 8, value);
                    return;
                }
            }
            throw new AssertionError("no dynamic tag " + tag + " in the test library");
        });
    }
}
