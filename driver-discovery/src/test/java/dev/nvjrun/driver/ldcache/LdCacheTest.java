package dev.nvjrun.driver.ldcache;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nvjrun.driver.HostTools;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class LdCacheTest {

    private static final String LIB64 = "/usr/lib/x86_64-linux-gnu";
    private static final String LIB32 = "/usr/lib/i386-linux-gnu";

    @TempDir
    static Path root;

    /** A small root with copied real libraries, a glibc-hwcaps variant and 32-bit stubs, cached by the real ldconfig in all three formats. */
    @BeforeAll
    static void buildCaches() throws IOException {
        Path lib64 = root.resolve(LIB64.substring(1));
        Path lib32 = root.resolve(LIB32.substring(1));
        Files.createDirectories(lib64.resolve("glibc-hwcaps/x86-64-v2"));
        for (String lib : List.of("libz.so.1", "libzstd.so.1", "liblzma.so.5")) {
            Path real = Path.of(LIB64, lib).toRealPath();
            Files.copy(real, lib64.resolve(real.getFileName()));
        }
        Files.copy(Path.of(LIB64, "libz.so.1").toRealPath(), lib64.resolve("glibc-hwcaps/x86-64-v2/libz.so.1"));
        HostTools.sharedObject(lib32.resolve("libc.so.6"), "libc.so.6", true, List.of());
        HostTools.sharedObject(lib32.resolve("libfoo.so.1.0"), "libfoo.so.1", true, List.of(lib32.resolve("libc.so.6")));
        HostTools.sharedObject(lib64.resolve("libbar.so.2.0"), "libbar.so.2", false, List.of());
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/ld.so.conf"), LIB64 + "\n" + LIB32 + "\n",
                StandardCharsets.US_ASCII);
        for (LdCacheFormat f : LdCacheFormat.values()) {
            HostTools.run("ldconfig", "-r", root.toString(), "-c", f.name().toLowerCase(),
                    "-C", "/etc/" + cacheName(f), "-f", "/etc/ld.so.conf");
        }
    }

    private static String cacheName(LdCacheFormat f) {
        return "ld.so.cache." + f.name().toLowerCase();
    }

    private static Path cache(LdCacheFormat f) {
        return root.resolve("etc").resolve(cacheName(f));
    }

    @Test
    void printsTheSystemCacheByteForByteLikeLdconfig() throws Exception {
        // A copy, because apt on this machine may rewrite /etc/ld.so.cache between the two reads.
        Path system = Files.copy(Path.of("/etc/ld.so.cache"), root.resolve("system-copy.cache"));
        byte[] expected = HostTools.run("ldconfig", "-p", "-C", system.toString());
        byte[] actual = new LdCachePrinter().print(LdCache.read(system), system.toString());
        assertEquals(new String(expected, StandardCharsets.UTF_8), new String(actual, StandardCharsets.UTF_8));
        assertArrayEquals(expected, actual);
    }

    @ParameterizedTest
    @EnumSource(LdCacheFormat.class)
    void printsEveryFormatByteForByteLikeLdconfig(LdCacheFormat format) throws Exception {
        Path file = cache(format);
        byte[] expected = HostTools.run("ldconfig", "-p", "-C", file.toString());
        LdCache cache = LdCache.read(file);
        assertEquals(format, cache.format());
        assertEquals(new String(expected, StandardCharsets.UTF_8),
                new String(new LdCachePrinter().print(cache, file.toString()), StandardCharsets.UTF_8));
    }

    /** Hundreds of real libraries, cached without touching the host's symlinks (-X). */
    @ParameterizedTest
    @EnumSource(LdCacheFormat.class)
    void printsLargeRealCachesByteForByteLikeLdconfig(LdCacheFormat format) throws Exception {
        Path file = root.resolve("system." + format.name().toLowerCase());
        HostTools.run("ldconfig", "-X", "-c", format.name().toLowerCase(), "-C", file.toString());
        LdCache cache = LdCache.read(file);
        assertTrue(cache.entries().size() > 100, "expected the host's libraries in " + file);
        assertEquals(new String(HostTools.run("ldconfig", "-p", "-C", file.toString()), StandardCharsets.UTF_8),
                new String(new LdCachePrinter().print(cache, file.toString()), StandardCharsets.UTF_8));
    }

    @Test
    void resolvesEverySystemLibraryToTheFirstLineLdconfigPrintsForIt() throws Exception {
        LdCache cache = LdCache.read(Path.of("/etc/ld.so.cache"));
        java.util.Map<String, String> firstByName = new java.util.LinkedHashMap<>();
        HostTools.runText("ldconfig", "-p", "-C", "/etc/ld.so.cache").lines()
                .filter(l -> l.startsWith("\t") && l.contains(" (libc6,x86-64) => "))
                .forEach(l -> firstByName.putIfAbsent(l.substring(1, l.indexOf(' ')), l.substring(l.indexOf(" => ") + 4)));
        assertTrue(firstByName.size() > 100);
        firstByName.forEach((name, path) ->
                assertEquals(Optional.of(path), cache.lookup(name, LibraryArch.X86_64).map(LdCacheEntry::path), name));
    }

    @Test
    void readsTheGeneratorOnlyFromFormatsThatHaveExtensions() throws Exception {
        String version = HostTools.runText("ldconfig", "--version").lines().findFirst().orElseThrow();
        String release = version.substring(version.lastIndexOf(' ') + 1);
        assertTrue(LdCache.read(cache(LdCacheFormat.NEW)).generator().orElseThrow().endsWith("release version " + release));
        assertTrue(LdCache.read(cache(LdCacheFormat.COMPAT)).generator().isPresent());
        assertEquals(Optional.empty(), LdCache.read(cache(LdCacheFormat.OLD)).generator());
    }

    @Test
    void namesTheGlibcHwcapsSubdirectoryOfAVariant() throws Exception {
        LdCacheEntry variant = LdCache.read(cache(LdCacheFormat.NEW)).entries().stream()
                .filter(e -> e.path().contains("glibc-hwcaps")).findFirst().orElseThrow();
        assertEquals(Optional.of("x86-64-v2"), variant.hwcapsSubdirectory());
        assertTrue(variant.isHardwareSpecific());
    }

    @ParameterizedTest
    @EnumSource(LdCacheFormat.class)
    void resolvesSonamesPerArchitectureAsLdSoDoes(LdCacheFormat format) throws Exception {
        LdCache cache = LdCache.read(cache(format));
        // The old format cannot mark glibc-hwcaps variants, so there ld.so takes the first row as is.
        String expectedZ = format == LdCacheFormat.OLD
                ? LIB64 + "/glibc-hwcaps/x86-64-v2/libz.so.1" : LIB64 + "/libz.so.1";
        assertEquals(expectedZ, cache.lookup("libz.so.1", LibraryArch.X86_64).orElseThrow().path());
        assertEquals(LIB32 + "/libfoo.so.1", cache.lookup("libfoo.so.1", LibraryArch.I386).orElseThrow().path());
        assertEquals(Optional.empty(), cache.lookup("libfoo.so.1", LibraryArch.X86_64));
        assertEquals(Optional.empty(), cache.lookup("libbar.so.2", LibraryArch.I386));
        assertEquals(Optional.empty(), cache.lookup("libnotthere.so.1", LibraryArch.X86_64));
    }

    @Test
    void tells32BitEntriesLinkedAgainstLibcFromBareElfOnes() throws Exception {
        LdCache cache = LdCache.read(cache(LdCacheFormat.NEW));
        assertEquals(0x0003, cache.lookup("libfoo.so.1", LibraryArch.I386).orElseThrow().flags());
        assertEquals(0x0001, cache.lookup("libc.so.6", LibraryArch.I386).orElseThrow().flags());
        assertEquals(0x0303, cache.lookup("libbar.so.2", LibraryArch.X86_64).orElseThrow().flags());
    }

    @Test
    void findsEveryVersionOfALibraryByNameStem() throws Exception {
        LdCache cache = LdCache.read(Path.of("/etc/ld.so.cache"));
        List<LdCacheEntry> z = cache.withNameStem("libz.so", LibraryArch.X86_64);
        assertFalse(z.isEmpty());
        assertTrue(z.stream().allMatch(e -> e.name().equals("libz.so") || e.name().startsWith("libz.so.")));
        assertTrue(cache.withNameStem("libz3.so", LibraryArch.X86_64).stream().noneMatch(e -> e.name().startsWith("libz.so")));
    }
}
