package dev.nvjrun.fakegpu.elf;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes small but real ELF files: shared objects whose dynamic section (SONAME, NEEDED,
 * STRTAB, SYMTAB) the real ldconfig and readelf read, and static executables that print one
 * line and exit 0. Everything sits in one read-only PT_LOAD mapped at its file offset, so
 * virtual addresses equal file offsets.
 */
public final class ElfWriter {

    private static final int PT_LOAD = 1;
    private static final int PT_DYNAMIC = 2;
    private static final int PT_NOTE = 4;
    private static final int PF_X = 1;
    private static final int PF_W = 2;
    private static final int PF_R = 4;
    private static final int SHT_STRTAB = 3;
    private static final int SHT_DYNAMIC = 6;
    private static final int SHT_NOTE = 7;
    private static final int SHT_DYNSYM = 11;
    private static final int SHF_ALLOC = 2;
    private static final int SHF_WRITE = 1;
    private static final int DT_NULL = 0;
    private static final int DT_NEEDED = 1;
    private static final int DT_STRTAB = 5;
    private static final int DT_SYMTAB = 6;
    private static final int DT_STRSZ = 10;
    private static final int DT_SYMENT = 11;
    private static final int DT_SONAME = 14;
    private static final int ET_EXEC = 2;
    private static final int ET_DYN = 3;
    private static final long EXECUTABLE_BASE = 0x400000L;

    /** Builds a shared object declaring the given SONAME, NEEDED entries and ABI tag. */
    public byte[] sharedObject(SharedObject object) {
        ElfClass elf = object.elfClass();
        StringTable dynstr = new StringTable();
        List<Integer> neededOffsets = new ArrayList<>();
        for (String needed : object.needed()) {
            neededOffsets.add(dynstr.add(needed));
        }
        int sonameOffset = dynstr.add(object.soname());
        byte[] dynstrBytes = dynstr.bytes();

        StringTable shstr = new StringTable();
        int noteName = shstr.add(".note.ABI-tag");
        int dynsymName = shstr.add(".dynsym");
        int dynstrName = shstr.add(".dynstr");
        int dynamicName = shstr.add(".dynamic");
        int shstrName = shstr.add(".shstrtab");
        byte[] shstrBytes = shstr.bytes();

        int phnum = 3;
        int word = elf.wordSize;
        long noteOff = elf.headerSize + (long) phnum * elf.programHeaderSize;
        long noteSize = 32;
        long dynsymOff = align(noteOff + noteSize, word);
        long dynsymSize = elf.symbolSize; // the mandatory null symbol only
        long dynstrOff = dynsymOff + dynsymSize;
        long dynamicOff = align(dynstrOff + dynstrBytes.length, word);
        int dynamicCount = object.needed().size() + 6;
        long dynamicSize = (long) dynamicCount * elf.dynamicEntrySize;
        long shstrOff = dynamicOff + dynamicSize;
        long shOff = align(shstrOff + shstrBytes.length, word);
        int shnum = 6;
        long fileSize = shOff + (long) shnum * elf.sectionHeaderSize;

        Out out = new Out(elf, (int) fileSize);
        out.header(ET_DYN, 0, elf.headerSize, shOff, phnum, shnum, 5);
        out.programHeader(PT_LOAD, PF_R, 0, 0, fileSize, 0x1000);
        out.programHeader(PT_DYNAMIC, PF_R | PF_W, dynamicOff, dynamicOff, dynamicSize, word);
        out.programHeader(PT_NOTE, PF_R, noteOff, noteOff, noteSize, 4);

        out.at(noteOff);
        writeAbiNote(out, object.abiTag());
        out.at(dynsymOff);
        out.zeros((int) dynsymSize);
        out.at(dynstrOff);
        out.bytes(dynstrBytes);
        out.at(dynamicOff);
        for (int offset : neededOffsets) {
            out.dynamic(DT_NEEDED, offset);
        }
        out.dynamic(DT_SONAME, sonameOffset);
        out.dynamic(DT_STRTAB, dynstrOff);
        out.dynamic(DT_STRSZ, dynstrBytes.length);
        out.dynamic(DT_SYMTAB, dynsymOff);
        out.dynamic(DT_SYMENT, elf.symbolSize);
        out.dynamic(DT_NULL, 0);
        out.at(shstrOff);
        out.bytes(shstrBytes);

        out.at(shOff);
        out.zeros(elf.sectionHeaderSize);
        out.sectionHeader(noteName, SHT_NOTE, SHF_ALLOC, noteOff, noteSize, 0, 0, 4, 0);
        out.sectionHeader(dynsymName, SHT_DYNSYM, SHF_ALLOC, dynsymOff, dynsymSize, 3, 1, word, elf.symbolSize);
        out.sectionHeader(dynstrName, SHT_STRTAB, SHF_ALLOC, dynstrOff, dynstrBytes.length, 0, 0, 1, 0);
        out.sectionHeader(dynamicName, SHT_DYNAMIC, SHF_ALLOC | SHF_WRITE, dynamicOff, dynamicSize, 3, 0, word,
                elf.dynamicEntrySize);
        out.sectionHeaderUnmapped(shstrName, SHT_STRTAB, shstrOff, shstrBytes.length);
        return out.finish();
    }

    /**
     * Builds a static x86-64 executable that writes {@code message} to stdout and exits 0, so a
     * fake nvidia-smi can really be run inside a container.
     */
    public byte[] executable(String message) {
        byte[] text = message.getBytes(StandardCharsets.UTF_8);
        ElfClass elf = ElfClass.X86_64;
        long codeOff = elf.headerSize + (long) elf.programHeaderSize;
        byte[] code = printAndExit(text.length);
        long fileSize = codeOff + code.length + text.length;
        Out out = new Out(elf, (int) fileSize);
        out.header(ET_EXEC, EXECUTABLE_BASE + codeOff, elf.headerSize, 0, 1, 0, 0);
        out.programHeader(PT_LOAD, PF_R | PF_X, 0, EXECUTABLE_BASE, fileSize, 0x1000);
        out.at(codeOff);
        out.bytes(code);
        out.bytes(text);
        return out.finish();
    }

    /** write(1, msg, len); exit(0); with msg placed right after the code. */
    private static byte[] printAndExit(int length) {
        ByteBuffer b = ByteBuffer.allocate(33).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0xB8).putInt(1);                 // mov eax, 1 (write)
        b.put((byte) 0xBF).putInt(1);                 // mov edi, 1 (stdout)
        b.put((byte) 0x48).put((byte) 0x8D).put((byte) 0x35).putInt(16); // lea rsi, [rip+16]
        b.put((byte) 0xBA).putInt(length);            // mov edx, length
        b.put((byte) 0x0F).put((byte) 0x05);          // syscall
        b.put((byte) 0xB8).putInt(60);                // mov eax, 60 (exit)
        b.put((byte) 0x31).put((byte) 0xFF);          // xor edi, edi
        b.put((byte) 0x0F).put((byte) 0x05);          // syscall
        return b.array();
    }

    private static void writeAbiNote(Out out, AbiTag tag) {
        out.u32(4);   // namesz: "GNU\0"
        out.u32(16);  // descsz
        out.u32(1);   // NT_GNU_ABI_TAG
        out.bytes("GNU\0".getBytes(StandardCharsets.US_ASCII));
        out.u32(0);   // ELF_NOTE_OS_LINUX
        out.u32(tag.major());
        out.u32(tag.minor());
        out.u32(tag.patch());
    }

    private static long align(long value, int alignment) {
        return (value + alignment - 1) / alignment * alignment;
    }

    /** A string table: a leading NUL, then NUL-terminated names. */
    private static final class StringTable {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        StringTable() {
            bytes.write(0);
        }

        int add(String s) {
            int offset = bytes.size();
            bytes.writeBytes(s.getBytes(StandardCharsets.UTF_8));
            bytes.write(0);
            return offset;
        }

        byte[] bytes() {
            return bytes.toByteArray();
        }
    }

    /** Little-endian output that writes words at the width of the ELF class. */
    private static final class Out {
        private final ElfClass elf;
        private final ByteBuffer buffer;

        Out(ElfClass elf, int size) {
            this.elf = elf;
            this.buffer = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        }

        void at(long offset) {
            buffer.position((int) offset);
        }

        void u16(int v) {
            buffer.putShort((short) v);
        }

        void u32(long v) {
            buffer.putInt((int) v);
        }

        void word(long v) {
            if (elf.wordSize == 8) {
                buffer.putLong(v);
            } else {
                buffer.putInt((int) v);
            }
        }

        void bytes(byte[] b) {
            buffer.put(b);
        }

        void zeros(int n) {
            buffer.put(new byte[n]);
        }

        void header(int type, long entry, long phoff, long shoff, int phnum, int shnum, int shstrndx) {
            buffer.put(new byte[] {0x7F, 'E', 'L', 'F', (byte) elf.identClass, 1, 1, 0});
            buffer.put(new byte[8]);
            u16(type);
            u16(elf.machine);
            u32(1);
            word(entry);
            word(phoff);
            word(shoff);
            u32(0);
            u16(elf.headerSize);
            u16(elf.programHeaderSize);
            u16(phnum);
            u16(elf.sectionHeaderSize);
            u16(shnum);
            u16(shstrndx);
        }

        void programHeader(int type, int flags, long offset, long vaddr, long size, long alignment) {
            if (elf.wordSize == 8) {
                u32(type);
                u32(flags);
                word(offset);
                word(vaddr);
                word(vaddr);
                word(size);
                word(size);
                word(alignment);
            } else {
                u32(type);
                word(offset);
                word(vaddr);
                word(vaddr);
                word(size);
                word(size);
                u32(flags);
                word(alignment);
            }
        }

        void sectionHeader(int name, int type, int flags, long offset, long size, int link, int info, long alignment,
                           long entrySize) {
            u32(name);
            u32(type);
            word(flags);
            word(offset); // address: mapped at its file offset
            word(offset);
            word(size);
            u32(link);
            u32(info);
            word(alignment);
            word(entrySize);
        }

        void sectionHeaderUnmapped(int name, int type, long offset, long size) {
            u32(name);
            u32(type);
            word(0);
            word(0);
            word(offset);
            word(size);
            u32(0);
            u32(0);
            word(1);
            word(0);
        }

        void dynamic(long tag, long value) {
            word(tag);
            word(value);
        }

        byte[] finish() {
            return buffer.array();
        }
    }
}
