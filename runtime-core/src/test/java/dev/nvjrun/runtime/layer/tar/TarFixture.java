package dev.nvjrun.runtime.layer.tar;

import com.github.luben.zstd.ZstdOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.function.Consumer;
import java.util.zip.GZIPOutputStream;

/** Builds tar archives in memory for tests, including ones no honest tool would write. */
public final class TarFixture {

    public static final Instant MTIME = Instant.parse("2020-01-02T03:04:05Z");

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final TarArchiveOutputStream tar;

    public TarFixture() {
        tar = new TarArchiveOutputStream(bytes, StandardCharsets.UTF_8.name());
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    }

    public TarFixture dir(String name, int mode) {
        return entry(name, TarArchiveEntry.LF_DIR, mode, null, e -> { });
    }

    public TarFixture file(String name, String content) {
        return file(name, content, 0644, e -> { });
    }

    public TarFixture binary(String name, byte[] data, int mode) {
        return bytes(name, data, mode, e -> { });
    }

    public TarFixture file(String name, String content, int mode, Consumer<TarArchiveEntry> tweak) {
        return bytes(name, content.getBytes(StandardCharsets.UTF_8), mode, tweak);
    }

    private TarFixture bytes(String name, byte[] data, int mode, Consumer<TarArchiveEntry> tweak) {
        TarArchiveEntry entry = new TarArchiveEntry(name, true);
        entry.setMode(mode);
        entry.setSize(data.length);
        entry.setModTime(FileTime.from(MTIME));
        tweak.accept(entry);
        try {
            tar.putArchiveEntry(entry);
            tar.write(data);
            tar.closeArchiveEntry();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    public TarFixture symlink(String name, String target) {
        return entry(name, TarArchiveEntry.LF_SYMLINK, 0777, target, e -> { });
    }

    public TarFixture hardlink(String name, String target) {
        return entry(name, TarArchiveEntry.LF_LINK, 0644, target, e -> { });
    }

    public TarFixture charDevice(String name, int major, int minor) {
        return entry(name, TarArchiveEntry.LF_CHR, 0666, null, e -> {
            e.setDevMajor(major);
            e.setDevMinor(minor);
        });
    }

    public TarFixture fifo(String name) {
        return entry(name, TarArchiveEntry.LF_FIFO, 0600, null, e -> { });
    }

    public TarFixture entry(String name, byte type, int mode, String linkTarget, Consumer<TarArchiveEntry> tweak) {
        TarArchiveEntry entry = new TarArchiveEntry(name, type, true);
        entry.setMode(mode);
        entry.setModTime(FileTime.from(MTIME));
        if (linkTarget != null) {
            entry.setLinkName(linkTarget);
        }
        tweak.accept(entry);
        try {
            tar.putArchiveEntry(entry);
            tar.closeArchiveEntry();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    public byte[] tar() {
        try {
            tar.finish();
            tar.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    public static byte[] gzip(byte[] plain) {
        return compress(plain, out -> {
            try {
                return new GZIPOutputStream(out);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    public static byte[] zstd(byte[] plain) {
        return compress(plain, out -> {
            try {
                return new ZstdOutputStream(out);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private static byte[] compress(byte[] plain, java.util.function.Function<OutputStream, OutputStream> wrap) {
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        try (OutputStream out = wrap.apply(compressed)) {
            out.write(plain);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return compressed.toByteArray();
    }
}
