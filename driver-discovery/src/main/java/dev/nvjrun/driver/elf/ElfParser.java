package dev.nvjrun.driver.elf;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads ELF headers, program headers, the dynamic segment and notes with every offset bounds-checked. */
final class ElfParser {

    private static final int PT_LOAD = 1;
    private static final int PT_DYNAMIC = 2;
    private static final int PT_NOTE = 4;
    private static final long DT_NULL = 0;
    private static final long DT_NEEDED = 1;
    private static final long DT_STRTAB = 5;
    private static final long DT_STRSZ = 10;
    private static final long DT_SONAME = 14;
    private static final int NT_GNU_ABI_TAG = 1;
    /** Real objects have a few dozen program headers and dynamic entries; this only stops absurd counts. */
    private static final int MAX_ITEMS = 1 << 16;
    private static final int MAX_NOTE_SEGMENT = 1 << 20;

    private final Path path;
    private final FileChannel channel;
    private final long size;
    private ByteOrder order;
    private boolean is64;

    private ElfParser(Path path, FileChannel channel) throws IOException {
        this.path = path;
        this.channel = channel;
        this.size = channel.size();
    }

    static ElfFile parse(Path path) throws ElfFormatException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            return new ElfParser(path, ch).parse();
        } catch (NoSuchFileException e) {
            throw new ElfFormatException(path, "the file does not exist", e);
        } catch (IOException e) {
            throw new ElfFormatException(path, "reading failed (" + e.getMessage() + ")", e);
        }
    }

    private record Segment(int type, long offset, long vaddr, long filesz, long align) {}

    private ElfFile parse() throws IOException, ElfFormatException {
        if (size < 16) {
            throw fail("truncated: " + size + " bytes, shorter than the 16-byte e_ident");
        }
        ByteBuffer ident = read(0, 16, "e_ident");
        if (ident.get(0) != 0x7f || ident.get(1) != 'E' || ident.get(2) != 'L' || ident.get(3) != 'F') {
            throw fail("wrong magic: it does not start with \\x7fELF");
        }
        ElfClass elfClass = switch (ident.get(4)) {
            case 1 -> ElfClass.ELF32;
            case 2 -> ElfClass.ELF64;
            default -> throw fail("unknown ELF class " + ident.get(4) + " (expected 1 for 32-bit or 2 for 64-bit)");
        };
        order = switch (ident.get(5)) {
            case 1 -> ByteOrder.LITTLE_ENDIAN;
            case 2 -> ByteOrder.BIG_ENDIAN;
            default -> throw fail("unknown data encoding " + ident.get(5));
        };
        is64 = elfClass == ElfClass.ELF64;
        int headerSize = is64 ? 64 : 52;
        if (size < headerSize) {
            throw fail("truncated: " + size + " bytes, shorter than the " + headerSize + "-byte ELF header");
        }
        ByteBuffer h = read(0, headerSize, "ELF header");
        int type = Short.toUnsignedInt(h.getShort(16));
        int machine = Short.toUnsignedInt(h.getShort(18));
        long phoff = is64 ? h.getLong(32) : Integer.toUnsignedLong(h.getInt(28));
        int ehsize = Short.toUnsignedInt(h.getShort(is64 ? 52 : 40));
        int phentsize = Short.toUnsignedInt(h.getShort(is64 ? 54 : 42));
        int phnum = Short.toUnsignedInt(h.getShort(is64 ? 56 : 44));
        int wantPhent = is64 ? 56 : 32;
        if (ehsize != headerSize || (phnum > 0 && phentsize != wantPhent)) {
            throw fail("wrong class: the header says " + elfClass + " but e_ehsize is " + ehsize
                    + " and e_phentsize " + phentsize + " (expected " + headerSize + " and " + wantPhent + ")");
        }
        List<Segment> segments = programHeaders(phoff, phnum);
        List<Segment> loads = segments.stream().filter(s -> s.type() == PT_LOAD).toList();
        Optional<String> soname = Optional.empty();
        List<String> needed = new ArrayList<>();
        Optional<Segment> dynamic = segments.stream().filter(s -> s.type() == PT_DYNAMIC).findFirst();
        if (dynamic.isPresent()) {
            Dynamic d = dynamic(dynamic.get(), loads);
            soname = d.soname();
            needed = d.needed();
        }
        Optional<GnuAbiTag> abi = Optional.empty();
        for (Segment s : segments) {
            if (s.type() == PT_NOTE && abi.isEmpty()) {
                abi = abiTag(s);
            }
        }
        return new ElfFile(path, elfClass, order, machine, ElfType.of(type), soname, needed, abi);
    }

    private List<Segment> programHeaders(long phoff, int phnum) throws IOException, ElfFormatException {
        int entSize = is64 ? 56 : 32;
        if (phnum == 0) {
            return List.of();
        }
        if (phoff <= 0 || phoff + (long) phnum * entSize > size) {
            throw fail("offset past the end: " + phnum + " program headers at offset " + phoff
                    + " do not fit in the " + size + "-byte file");
        }
        ByteBuffer b = read(phoff, phnum * entSize, "program headers");
        List<Segment> out = new ArrayList<>(phnum);
        for (int i = 0; i < phnum; i++) {
            int at = i * entSize;
            int ptype = b.getInt(at);
            if (is64) {
                out.add(new Segment(ptype, b.getLong(at + 8), b.getLong(at + 16), b.getLong(at + 32), b.getLong(at + 48)));
            } else {
                out.add(new Segment(ptype, u32(b, at + 4), u32(b, at + 8), u32(b, at + 16), u32(b, at + 28)));
            }
        }
        return out;
    }

    private record Dynamic(Optional<String> soname, List<String> needed) {}

    private Dynamic dynamic(Segment dyn, List<Segment> loads) throws IOException, ElfFormatException {
        checkInFile(dyn.offset(), dyn.filesz(), "PT_DYNAMIC segment");
        int entSize = is64 ? 16 : 8;
        long count = Math.min(dyn.filesz() / entSize, MAX_ITEMS);
        ByteBuffer b = read(dyn.offset(), (int) (count * entSize), "dynamic section");
        long strtab = -1;
        long strsz = -1;
        long soname = -1;
        List<Long> needed = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long tag = is64 ? b.getLong(i * entSize) : b.getInt(i * entSize);
            long val = is64 ? b.getLong(i * entSize + 8) : u32(b, i * entSize + 4);
            if (tag == DT_NULL) {
                break;
            } else if (tag == DT_NEEDED) {
                needed.add(val);
            } else if (tag == DT_STRTAB) {
                strtab = val;
            } else if (tag == DT_STRSZ) {
                strsz = val;
            } else if (tag == DT_SONAME) {
                soname = val;
            }
        }
        if (soname < 0 && needed.isEmpty()) {
            return new Dynamic(Optional.empty(), List.of());
        }
        if (strtab < 0 || strsz < 0) {
            throw fail("the dynamic section names libraries but has no DT_STRTAB or DT_STRSZ");
        }
        long strOffset = fileOffsetOf(strtab, loads);
        checkInFile(strOffset, strsz, "dynamic string table");
        ByteBuffer strings = read(strOffset, (int) Math.min(strsz, Integer.MAX_VALUE), "dynamic string table");
        List<String> neededNames = new ArrayList<>(needed.size());
        for (long n : needed) {
            neededNames.add(cString(strings, n, "DT_NEEDED"));
        }
        Optional<String> so = soname < 0 ? Optional.empty() : Optional.of(cString(strings, soname, "DT_SONAME"));
        return new Dynamic(so, neededNames);
    }

    /** ld.so finds DT_STRTAB by address, so map it through the PT_LOAD segment that contains it. */
    private long fileOffsetOf(long vaddr, List<Segment> loads) throws ElfFormatException {
        for (Segment s : loads) {
            if (Long.compareUnsigned(vaddr, s.vaddr()) >= 0 && Long.compareUnsigned(vaddr - s.vaddr(), s.filesz()) < 0) {
                return s.offset() + (vaddr - s.vaddr());
            }
        }
        throw fail("DT_STRTAB address 0x" + Long.toHexString(vaddr) + " is not inside any PT_LOAD segment");
    }

    private Optional<GnuAbiTag> abiTag(Segment note) throws IOException, ElfFormatException {
        checkInFile(note.offset(), note.filesz(), "PT_NOTE segment");
        int len = (int) Math.min(note.filesz(), MAX_NOTE_SEGMENT);
        ByteBuffer b = read(note.offset(), len, "note segment");
        int align = note.align() == 8 ? 8 : 4;
        int at = 0;
        while (at + 12 <= len) {
            long namesz = u32(b, at);
            long descsz = u32(b, at + 4);
            int type = b.getInt(at + 8);
            long nameStart = at + 12L;
            // Padding aligns the offsets of desc and of the next note, not the sizes (gABI, and
            // what binutils does for 8-aligned .note.gnu.property segments).
            long descStart = roundUp(nameStart + namesz, align);
            long next = roundUp(descStart + descsz, align);
            if (next > len) {
                throw fail("a note in the PT_NOTE segment at offset " + note.offset() + " runs past the segment's end");
            }
            if (type == NT_GNU_ABI_TAG && namesz == 4 && descsz >= 16
                    && b.get((int) nameStart) == 'G' && b.get((int) nameStart + 1) == 'N'
                    && b.get((int) nameStart + 2) == 'U' && b.get((int) nameStart + 3) == 0) {
                int d = (int) descStart;
                return Optional.of(new GnuAbiTag(b.getInt(d), b.getInt(d + 4), b.getInt(d + 8), b.getInt(d + 12)));
            }
            at = (int) next;
        }
        return Optional.empty();
    }

    private static long roundUp(long n, int align) {
        return (n + align - 1) & -align;
    }

    private String cString(ByteBuffer strings, long index, String what) throws ElfFormatException {
        if (index < 0 || index >= strings.limit()) {
            throw fail("string offset out of range: " + what + " index " + index + " is outside the "
                    + strings.limit() + "-byte string table");
        }
        int end = (int) index;
        while (end < strings.limit() && strings.get(end) != 0) {
            end++;
        }
        if (end == strings.limit()) {
            throw fail("string offset out of range: " + what + " at index " + index + " is not NUL-terminated inside the string table");
        }
        byte[] raw = new byte[end - (int) index];
        strings.get((int) index, raw);
        return new String(raw, StandardCharsets.UTF_8);
    }

    private void checkInFile(long offset, long length, String what) throws ElfFormatException {
        if (offset < 0 || length < 0 || offset + length > size || offset + length < 0) {
            throw fail("offset past the end: the " + what + " at offset " + offset + " with length " + length
                    + " does not fit in the " + size + "-byte file");
        }
    }

    private ByteBuffer read(long offset, int length, String what) throws IOException, ElfFormatException {
        checkInFile(offset, length, what);
        ByteBuffer b = ByteBuffer.allocate(length);
        while (b.hasRemaining()) {
            if (channel.read(b, offset + b.position()) < 0) {
                throw fail("truncated while reading the " + what);
            }
        }
        return b.flip().order(order == null ? ByteOrder.LITTLE_ENDIAN : order);
    }

    private static long u32(ByteBuffer b, int at) {
        return Integer.toUnsignedLong(b.getInt(at));
    }

    private ElfFormatException fail(String problem) {
        return new ElfFormatException(path, problem);
    }
}
