package dev.nvjrun.driver.ldcache;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Decodes the on-disk layout of glibc's sysdeps/generic/dl-cache.h. Every offset and count is
 * checked against the file size before use: a cache is input from the host, not trusted memory.
 */
final class LdCacheParser {

    static final String OLD_MAGIC = "ld.so-1.7.0";
    static final String NEW_MAGIC = "glibc-ld.so.cache";
    static final String NEW_VERSION = "1.1";
    static final int OLD_HEADER_SIZE = 16;
    static final int OLD_ENTRY_SIZE = 12;
    static final int NEW_HEADER_SIZE = 48;
    static final int NEW_ENTRY_SIZE = 24;
    static final int EXTENSION_MAGIC = 0xEAA42174;
    static final int TAG_GENERATOR = 0;
    static final int TAG_GLIBC_HWCAPS = 1;
    static final long HWCAP_EXTENSION = 1L << 62;
    static final int HWCAP_ISA_LEVEL_MASK = 0x3ff;
    private static final int ENDIAN_LITTLE = 2;

    private final Path file;
    private final byte[] bytes;
    private final ByteBuffer buf;

    LdCacheParser(Path file, byte[] bytes) {
        this.file = file;
        this.bytes = bytes;
        this.buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    LdCache parse() throws LdCacheException {
        if (bytes.length == 0) {
            throw fail("the file is empty");
        }
        if (bytes.length < OLD_HEADER_SIZE) {
            throw fail("the file is truncated: " + bytes.length + " bytes, shorter than any cache header");
        }
        if (startsWith(0, OLD_MAGIC)) {
            return parseOldOrCompat();
        }
        if (startsWith(0, NEW_MAGIC + NEW_VERSION)) {
            return parseNew(0, LdCacheFormat.NEW);
        }
        throw fail("wrong magic: it starts with neither \"" + OLD_MAGIC + "\" nor \"" + NEW_MAGIC + NEW_VERSION + "\"");
    }

    private LdCache parseOldOrCompat() throws LdCacheException {
        long nlibs = u32(12);
        long room = (bytes.length - OLD_HEADER_SIZE) / OLD_ENTRY_SIZE;
        if (nlibs > room) {
            throw fail("absurd entry count " + nlibs + " in the old-format header: the file has room for only " + room);
        }
        int entriesEnd = OLD_HEADER_SIZE + (int) nlibs * OLD_ENTRY_SIZE;
        int newOffset = (entriesEnd + 7) & ~7;
        if (bytes.length > newOffset + NEW_HEADER_SIZE && startsWith(newOffset, NEW_MAGIC + NEW_VERSION)) {
            return parseNew(newOffset, LdCacheFormat.COMPAT);
        }
        List<LdCacheEntry> entries = new ArrayList<>((int) nlibs);
        for (int i = 0; i < nlibs; i++) {
            int at = OLD_HEADER_SIZE + i * OLD_ENTRY_SIZE;
            int flags = buf.getInt(at);
            String name = string(entriesEnd, u32(at + 4), "name of old-format entry " + i);
            String path = string(entriesEnd, u32(at + 8), "path of old-format entry " + i);
            entries.add(new LdCacheEntry(name, path, flags, 0, 0, Optional.empty()));
        }
        return new LdCache(file, LdCacheFormat.OLD, entries, Optional.empty());
    }

    private LdCache parseNew(int base, LdCacheFormat format) throws LdCacheException {
        if (bytes.length < base + NEW_HEADER_SIZE) {
            throw fail("the file is truncated inside the glibc-ld.so.cache1.1 header");
        }
        long nlibs = u32(base + 20);
        int endian = bytes[base + 28] & 0xff;
        if (endian != 0 && (endian & 3) != ENDIAN_LITTLE) {
            throw fail("it was written for a big-endian or invalid architecture (endianness flag " + endian + ")");
        }
        long room = (bytes.length - base - NEW_HEADER_SIZE) / NEW_ENTRY_SIZE;
        if (nlibs > room) {
            throw fail("absurd entry count " + nlibs + " in the glibc-ld.so.cache1.1 header: the file has room for only " + room);
        }
        Extensions ext = extensions(u32(base + 32));
        List<LdCacheEntry> entries = new ArrayList<>((int) nlibs);
        for (int i = 0; i < nlibs; i++) {
            int at = base + NEW_HEADER_SIZE + i * NEW_ENTRY_SIZE;
            int flags = buf.getInt(at);
            String name = string(base, u32(at + 4), "name of entry " + i);
            String path = string(base, u32(at + 8), "path of entry " + i);
            int osVersion = buf.getInt(at + 12);
            long hwcap = buf.getLong(at + 16);
            entries.add(new LdCacheEntry(name, path, flags, osVersion, hwcap, ext.hwcapsName(hwcap)));
        }
        return new LdCache(file, format, entries, ext.generator());
    }

    /** The extension directory; offsets in it count from the start of the file, not of the table. */
    private Extensions extensions(long offset) throws LdCacheException {
        if (offset == 0) {
            return new Extensions(Optional.empty(), new long[0]);
        }
        if (offset % 4 != 0) {
            throw fail("malformed extension data: directory offset " + offset + " is not a multiple of 4");
        }
        if (offset + 8 > bytes.length) {
            throw fail("offset past the end: extension directory at " + offset + " of a " + bytes.length + "-byte file");
        }
        if (buf.getInt((int) offset) != EXTENSION_MAGIC) {
            throw fail("malformed extension data: wrong extension magic at offset " + offset);
        }
        long count = u32((int) offset + 4);
        if (offset + 8 + count * 16 > bytes.length) {
            throw fail("absurd extension count " + count + ": the section table runs past the end of the file");
        }
        Optional<String> generator = Optional.empty();
        long[] hwcaps = new long[0];
        for (int i = 0; i < count; i++) {
            int at = (int) offset + 8 + i * 16;
            long tag = u32(at);
            long start = u32(at + 8);
            long size = u32(at + 12);
            if (start + size > bytes.length) {
                throw fail("offset past the end: extension section " + i + " spans " + start + ".." + (start + size)
                        + " of a " + bytes.length + "-byte file");
            }
            if (tag == TAG_GENERATOR) {
                generator = Optional.of(new String(bytes, (int) start, (int) size, StandardCharsets.UTF_8));
            } else if (tag == TAG_GLIBC_HWCAPS && size > 0 && start % 4 == 0 && size % 4 == 0) {
                hwcaps = new long[(int) (size / 4)];
                for (int k = 0; k < hwcaps.length; k++) {
                    hwcaps[k] = u32((int) start + 4 * k);
                }
            }
        }
        return new Extensions(generator, hwcaps);
    }

    private final class Extensions {
        private final Optional<String> generator;
        private final long[] hwcapsStringOffsets;

        Extensions(Optional<String> generator, long[] hwcapsStringOffsets) {
            this.generator = generator;
            this.hwcapsStringOffsets = hwcapsStringOffsets;
        }

        Optional<String> generator() {
            return generator;
        }

        /** Mirrors glibc's glibc_hwcaps_string: a bad index just means "no name", as in ldconfig -p. */
        Optional<String> hwcapsName(long hwcap) throws LdCacheException {
            boolean extension = ((hwcap >>> 32) & ~(long) HWCAP_ISA_LEVEL_MASK) == (HWCAP_EXTENSION >>> 32);
            if (!extension) {
                return Optional.empty();
            }
            long index = hwcap & 0xffffffffL;
            if (index >= hwcapsStringOffsets.length || hwcapsStringOffsets[(int) index] >= bytes.length) {
                return Optional.empty();
            }
            return Optional.of(string(0, hwcapsStringOffsets[(int) index], "glibc-hwcaps name " + index));
        }
    }

    private String string(int base, long offset, String what) throws LdCacheException {
        long start = base + offset;
        if (start >= bytes.length) {
            throw fail("string offset out of range: the " + what + " points to " + start
                    + ", past the end of the " + bytes.length + "-byte file");
        }
        int end = (int) start;
        while (end < bytes.length && bytes[end] != 0) {
            end++;
        }
        if (end == bytes.length) {
            throw fail("string offset out of range: the " + what + " at " + start + " runs to the end of the file without a terminating NUL");
        }
        return new String(bytes, (int) start, end - (int) start, StandardCharsets.UTF_8);
    }

    private boolean startsWith(int at, String magic) {
        if (at + magic.length() > bytes.length) {
            return false;
        }
        for (int i = 0; i < magic.length(); i++) {
            if (bytes[at + i] != magic.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private long u32(int at) {
        return Integer.toUnsignedLong(buf.getInt(at));
    }

    private LdCacheException fail(String problem) {
        return new LdCacheException(file, problem);
    }
}
