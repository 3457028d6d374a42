package dev.nvjrun.runtime.layer.tar;

import dev.nvjrun.runtime.layer.LayerFormatException;
import dev.nvjrun.runtime.layer.NativeFiles;
import dev.nvjrun.runtime.layer.UnsafeLayerException;
import dev.nvjrun.runtime.store.Digest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LayerUnpackerTest {

    @TempDir
    Path tmp;
    Path layer;
    Path outside;
    final NativeFiles nativeFiles = new NativeFiles();
    final LayerUnpacker unpacker = new LayerUnpacker(nativeFiles);

    @BeforeEach
    void dirs() throws IOException {
        layer = Files.createDirectory(tmp.resolve("layer"));
        outside = Files.createDirectory(tmp.resolve("outside"));
        Files.writeString(outside.resolve("secret"), "untouched");
    }

    private LayerUnpacker.Result unpack(byte[] archive) {
        return unpacker.unpack(new ByteArrayInputStream(archive), layer, "layer under test");
    }

    private static Path createDirectory(Path path) {
        try {
            return Files.createDirectory(path);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Object attr(Path path, String name) throws IOException {
        return Files.getAttribute(path, "unix:" + name, LinkOption.NOFOLLOW_LINKS);
    }

    @Test
    void preservesOwnersModesSetuidTimesAndXattrs() throws IOException {
        byte[] archive = new TarFixture()
                .dir("usr/", 0750)
                .file("usr/su", "#!", 04755, e -> {
                    e.setUserId(1234);
                    e.setGroupId(5678);
                    e.addPaxHeader("SCHILY.xattr.user.origin", "debian");
                })
                .tar();
        unpack(archive);
        Path su = layer.resolve("usr/su");
        assertEquals(1234, attr(su, "uid"));
        assertEquals(5678, attr(su, "gid"));
        assertEquals(0104755, attr(su, "mode"));
        assertEquals(040750, attr(layer.resolve("usr"), "mode"));
        assertEquals(TarFixture.MTIME, Files.getLastModifiedTime(su).toInstant());
        assertEquals(TarFixture.MTIME, Files.getLastModifiedTime(layer.resolve("usr")).toInstant(),
                "directory times are set after their children");
        assertArrayEquals("debian".getBytes(StandardCharsets.UTF_8), nativeFiles.lgetxattr(su, "user.origin").orElseThrow());
    }

    @Test
    void createsLinksDevicesAndFifos() throws IOException {
        byte[] archive = new TarFixture()
                .file("bin/busybox", "elf")
                .hardlink("bin/sh", "bin/busybox")
                .symlink("bin/ls", "/bin/busybox")
                .charDevice("dev/null", 1, 3)
                .fifo("run/pipe")
                .tar();
        unpack(archive);
        assertEquals(attr(layer.resolve("bin/busybox"), "ino"), attr(layer.resolve("bin/sh"), "ino"));
        assertEquals(Path.of("/bin/busybox"), Files.readSymbolicLink(layer.resolve("bin/ls")));
        assertEquals(0020666, attr(layer.resolve("dev/null"), "mode"));
        assertEquals((1L << 8) | 3, attr(layer.resolve("dev/null"), "rdev"));
        assertEquals(0010600, attr(layer.resolve("run/pipe"), "mode"));
    }

    @Test
    void turnsWhiteoutsIntoOverlayWhiteouts() throws IOException {
        byte[] archive = new TarFixture()
                .file("etc/.wh.motd", "")
                .dir("opt/", 0755)
                .file("opt/.wh..wh..opq", "")
                .file("opt/new", "x")
                .tar();
        unpack(archive);
        Path whiteout = layer.resolve("etc/motd");
        assertEquals(0020000, ((int) attr(whiteout, "mode")) & 0170000);
        assertEquals(0L, attr(whiteout, "rdev"));
        assertFalse(Files.exists(layer.resolve("etc/.wh.motd"), LinkOption.NOFOLLOW_LINKS));
        assertArrayEquals(new byte[] {'y'}, nativeFiles.lgetxattr(layer.resolve("opt"), "trusted.overlay.opaque").orElseThrow());
        assertFalse(Files.exists(layer.resolve("opt/.wh..wh..opq"), LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void givesTheSameDiffIdForPlainGzipAndZstd() {
        byte[] plain = new TarFixture().file("a", "alpha").file("b/c", "gamma").tar();
        Digest expected = Digest.of(plain);
        assertEquals(expected, unpack(plain).diffId());
        for (byte[] compressed : new byte[][] {TarFixture.gzip(plain), TarFixture.zstd(plain)}) {
            Path target = tmp.resolve("layer-" + Arrays.hashCode(compressed));
            LayerUnpacker.Result result = unpacker.unpack(new ByteArrayInputStream(compressed),
                    createDirectory(target), "compressed layer");
            assertEquals(expected, result.diffId());
            assertEquals(plain.length, result.uncompressedBytes());
        }
    }

    @Test
    void laterEntryReplacesEarlierOneInsteadOfWritingThroughIt() throws IOException {
        byte[] archive = new TarFixture()
                .symlink("config", "/tmp/should-not-be-written")
                .file("config", "real file")
                .tar();
        unpack(archive);
        assertEquals("real file", Files.readString(layer.resolve("config")));
        assertFalse(Files.isSymbolicLink(layer.resolve("config")));
    }

    // --- hostile archives: each is refused and nothing outside the layer changes ---

    private void assertRefused(byte[] archive, Class<? extends RuntimeException> kind, String because) throws IOException {
        RuntimeException e = assertThrows(kind, () -> unpack(archive));
        assertTrue(e.getMessage().contains(because), () -> "message was: " + e.getMessage());
        assertTrue(e.getMessage().contains("layer under test"), "the message names the layer");
        try (var files = Files.list(outside)) {
            assertEquals(java.util.List.of(outside.resolve("secret")), files.toList(), "nothing new outside the layer");
        }
        assertEquals("untouched", Files.readString(outside.resolve("secret")));
    }

    @Test
    void refusesEntryThatClimbsOutWithDotDot() throws IOException {
        assertRefused(new TarFixture().file("a/../../outside/evil", "x").tar(), UnsafeLayerException.class, "\"..\"");
    }

    @Test
    void refusesAbsolutePath() throws IOException {
        assertRefused(new TarFixture().file(outside.resolve("evil").toString(), "x").tar(), UnsafeLayerException.class,
                "absolute path");
    }

    @Test
    void refusesWritingThroughSymlinkThatLeadsOutside() throws IOException {
        byte[] archive = new TarFixture()
                .symlink("escape", outside.toString())
                .file("escape/secret", "overwritten")
                .tar();
        assertRefused(archive, UnsafeLayerException.class, "symbolic link \"escape\"");
    }

    @Test
    void refusesWritingThroughRelativeSymlinkChain() throws IOException {
        byte[] archive = new TarFixture()
                .symlink("up", "..")
                .symlink("up2", "up/..")
                .file("up2/outside/evil", "x")
                .tar();
        assertRefused(archive, UnsafeLayerException.class, "symbolic link");
    }

    @Test
    void refusesWhiteoutThroughSymlink() throws IOException {
        byte[] archive = new TarFixture()
                .symlink("escape", outside.toString())
                .file("escape/.wh.secret", "")
                .tar();
        assertRefused(archive, UnsafeLayerException.class, "symbolic link");
    }

    @Test
    void refusesHardLinkToFileOutside() throws IOException {
        assertRefused(new TarFixture().hardlink("stolen", "../outside/secret").tar(), UnsafeLayerException.class, "\"..\"");
        assertRefused(new TarFixture().hardlink("stolen", outside.resolve("secret").toString()).tar(),
                UnsafeLayerException.class, "absolute path");
    }

    @Test
    void refusesHardLinkThroughSymlink() throws IOException {
        byte[] archive = new TarFixture()
                .symlink("escape", outside.toString())
                .hardlink("stolen", "escape/secret")
                .tar();
        assertRefused(archive, UnsafeLayerException.class, "not a real directory");
        assertEquals(1L, ((Number) attr(outside.resolve("secret"), "nlink")).longValue());
    }

    @Test
    void refusesTruncatedHeader() throws IOException {
        byte[] whole = new TarFixture().file("a", "alpha").file("b", "beta").tar();
        byte[] cut = Arrays.copyOf(whole, 512 + 512 + 100); // second header cut short
        assertRefused(cut, LayerFormatException.class, "truncated or corrupt");
    }

    @Test
    void refusesTruncatedContent() throws IOException {
        byte[] whole = new TarFixture().file("big", "x".repeat(5000)).tar();
        assertRefused(Arrays.copyOf(whole, 512 + 1000), LayerFormatException.class, "truncated or corrupt");
    }

    @Test
    void refusesCorruptHeaderField() throws IOException {
        byte[] archive = new TarFixture().file("a", "alpha").tar();
        archive[124] = 'z'; // the octal size field
        assertRefused(archive, LayerFormatException.class, "truncated or corrupt");
    }

    @Test
    void refusesOversizedEntryName() throws IOException {
        assertRefused(new TarFixture().file("d/" + "n".repeat(5000), "x").tar(), LayerFormatException.class,
                "more than 4096 bytes");
    }

    @Test
    void refusesOversizedExtendedAttribute() throws IOException {
        byte[] archive = new TarFixture()
                .file("f", "x", 0644, e -> e.addPaxHeader("SCHILY.xattr.user.big", "v".repeat(70_000)))
                .tar();
        assertRefused(archive, LayerFormatException.class, "over the limit");
    }

    @Test
    void skipsBinaryAttributeItCannotReadExactlyInsteadOfSettingAWrongOne() throws IOException {
        byte[] archive = new TarFixture()
                .file("ping", "x", 0755, e -> e.addPaxHeader("SCHILY.xattr.user.binary", "caps\uFFFD"))
                .tar();
        unpack(archive);
        assertTrue(nativeFiles.lgetxattr(layer.resolve("ping"), "user.binary").isEmpty());
        assertTrue(Files.isRegularFile(layer.resolve("ping")));
    }

    @Test
    void refusesOverlayAttributesSmuggledInPaxHeaders() throws IOException {
        byte[] archive = new TarFixture()
                .dir("d/", 0755)
                .file("d/f", "x", 0644, e -> e.addPaxHeader("SCHILY.xattr.trusted.overlay.redirect", "/etc"))
                .tar();
        assertRefused(archive, UnsafeLayerException.class, "overlay attribute trusted.overlay.redirect");
    }

    @Test
    void refusesUnsupportedEntryType() throws IOException {
        assertRefused(new TarFixture().entry("odd", (byte) 'Q', 0644, null, e -> { }).tar(),
                LayerFormatException.class, "unsupported tar type");
    }

    @Test
    void unusedPaxHeadersDoNotMatter() {
        byte[] archive = new TarFixture().file("f", "x", 0644, e -> e.addPaxHeader("comment", "hello")).tar();
        assertEquals(1, unpack(archive).entries());
        assertTrue(Files.isRegularFile(layer.resolve("f")));
    }
}
