package dev.nvjrun.driver.ldcache;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nvjrun.driver.HostTools;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** A corpus of damaged caches, each derived from a real one, and the sentence each must produce. */
class CorruptLdCacheTest {

    @TempDir
    static Path dir;
    static byte[] newFormat;
    static byte[] compat;

    @BeforeAll
    static void makeRealCaches() throws IOException {
        Path lib = dir.resolve("root/usr/lib/x86_64-linux-gnu");
        Files.createDirectories(lib);
        Files.copy(Path.of("/usr/lib/x86_64-linux-gnu/libz.so.1").toRealPath(), lib.resolve("libz.so.1.2.13"));
        Files.writeString(dir.resolve("root/ld.so.conf"), "/usr/lib/x86_64-linux-gnu\n");
        for (String f : new String[] {"new", "compat"}) {
            HostTools.run("ldconfig", "-r", dir.resolve("root").toString(), "-c", f, "-C", "/cache." + f, "-f", "/ld.so.conf");
        }
        newFormat = Files.readAllBytes(dir.resolve("root/cache.new"));
        compat = Files.readAllBytes(dir.resolve("root/cache.compat"));
    }

    static Stream<Arguments> corpus() {
        return Stream.of(
                Arguments.of("empty", (UnaryOperator<byte[]>) b -> new byte[0], "the file is empty"),
                Arguments.of("header cut short", cut(10), "truncated"),
                Arguments.of("wrong magic", put(0, 'X'), "wrong magic"),
                Arguments.of("absurd new entry count", putInt(20, 0x7fffffff), "absurd entry count 2147483647"),
                Arguments.of("key past the end", putInt(48 + 4, 0x7ffffff0), "string offset out of range"),
                Arguments.of("string table without NUL", (UnaryOperator<byte[]>) b -> {
                    byte[] c = Arrays.copyOf(b, b.length);
                    ByteBuffer.wrap(c).order(ByteOrder.LITTLE_ENDIAN).putInt(48 + 8, c.length - 1);
                    c[c.length - 1] = 'x';
                    return c;
                }, "without a terminating NUL"),
                Arguments.of("extension directory past the end", putInt(32, 0x40000000), "offset past the end"),
                Arguments.of("misaligned extension directory", putInt(32, 3), "not a multiple of 4"),
                Arguments.of("big-endian cache", put(28, 3), "big-endian"),
                Arguments.of("entries cut off", cut(60), "absurd entry count"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void refusesADamagedNewFormatCacheNamingFileAndProblem(String what, UnaryOperator<byte[]> damage, String problem)
            throws IOException {
        Path file = dir.resolve(what.replace(' ', '-'));
        byte[] damaged = damage.apply(newFormat);
        Files.write(file, damaged);
        LdCacheException e = assertThrows(LdCacheException.class, () -> LdCache.read(file));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains(problem), e.getMessage());
        assertTrue(e.getMessage().endsWith("Regenerate it with ldconfig (or ldconfig -r <driver root>)"), e.getMessage());
        assertArrayEquals(damaged, Files.readAllBytes(file), "reading must never modify the cache");
    }

    @Test
    void refusesAnAbsurdOldFormatEntryCount() throws IOException {
        Path file = dir.resolve("old-count");
        byte[] c = Arrays.copyOf(compat, compat.length);
        ByteBuffer.wrap(c).order(ByteOrder.LITTLE_ENDIAN).putInt(12, -1);
        Files.write(file, c);
        LdCacheException e = assertThrows(LdCacheException.class, () -> LdCache.read(file));
        assertTrue(e.getMessage().contains("absurd entry count 4294967295 in the old-format header"), e.getMessage());
    }

    @Test
    void refusesAWrongExtensionMagic() throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Arrays.copyOf(newFormat, newFormat.length)).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(b.getInt(32), 0x12345678);
        Path file = dir.resolve("ext-magic");
        Files.write(file, b.array());
        LdCacheException e = assertThrows(LdCacheException.class, () -> LdCache.read(file));
        assertTrue(e.getMessage().contains("wrong extension magic"), e.getMessage());
    }

    @Test
    void refusesAMissingFileSayingSo() {
        Path file = dir.resolve("nothing-here");
        LdCacheException e = assertThrows(LdCacheException.class, () -> LdCache.read(file));
        assertTrue(e.getMessage().contains(file + ": the file does not exist"), e.getMessage());
    }

    private static UnaryOperator<byte[]> cut(int length) {
        return b -> Arrays.copyOf(b, length);
    }

    private static UnaryOperator<byte[]> put(int at, int value) {
        return b -> {
            byte[] c = Arrays.copyOf(b, b.length);
            c[at] = (byte) value;
            return c;
        };
    }

    private static UnaryOperator<byte[]> putInt(int at, int value) {
        return b -> {
            byte[] c = Arrays.copyOf(b, b.length);
            ByteBuffer.wrap(c).order(ByteOrder.LITTLE_ENDIAN).putInt(at, value);
            return c;
        };
    }
}
