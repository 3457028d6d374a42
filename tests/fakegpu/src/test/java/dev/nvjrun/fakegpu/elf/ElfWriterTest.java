package dev.nvjrun.fakegpu.elf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nvjrun.fakegpu.Command;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ElfWriterTest {

    @TempDir
    Path tmp;

    private final ElfWriter writer = new ElfWriter();

    private Path write(String name, byte[] bytes) throws IOException {
        Path file = tmp.resolve(name);
        Files.write(file, bytes);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }

    @Test
    void sharedObject64ShowsSonameAndNeededInReadelf() throws IOException {
        Path lib = write("libfoo.so.1.2.3", writer.sharedObject(new SharedObject(ElfClass.X86_64, "libfoo.so.1",
                List.of("libbar.so.2", "libc.so.6"), AbiTag.LINUX_2_2_0)));
        Command header = Command.run("readelf", "-h", lib.toString());
        assertTrue(header.output().contains("ELF64"), header.output());
        assertTrue(header.output().contains("DYN (Shared object file)"), header.output());
        assertTrue(header.output().contains("Advanced Micro Devices X86-64"), header.output());
        Command dynamic = Command.run("readelf", "-d", lib.toString());
        assertEquals(0, dynamic.exitCode(), dynamic.output());
        assertTrue(dynamic.output().contains("Library soname: [libfoo.so.1]"), dynamic.output());
        assertTrue(dynamic.output().contains("Shared library: [libbar.so.2]"), dynamic.output());
        assertTrue(dynamic.output().contains("Shared library: [libc.so.6]"), dynamic.output());
        assertTrue(!dynamic.output().contains("Warning") && !dynamic.output().contains("Error"), dynamic.output());
    }

    @Test
    void sharedObject32IsAnI386Object() throws IOException {
        Path lib = write("libfoo32.so", writer.sharedObject(new SharedObject(ElfClass.I386, "libfoo.so.1",
                List.of("libc.so.6"), AbiTag.LINUX_2_2_0)));
        Command header = Command.run("readelf", "-h", lib.toString());
        assertTrue(header.output().contains("ELF32"), header.output());
        assertTrue(header.output().contains("Intel 80386"), header.output());
        Command dynamic = Command.run("readelf", "-d", lib.toString());
        assertTrue(dynamic.output().contains("Library soname: [libfoo.so.1]"), dynamic.output());
    }

    @Test
    void carriesTheGnuAbiTag() throws IOException {
        Path lib = write("libtls.so", writer.sharedObject(new SharedObject(ElfClass.X86_64, "libtls.so.1",
                List.of(), AbiTag.LINUX_2_3_99)));
        Command notes = Command.run("readelf", "-n", lib.toString());
        assertTrue(notes.output().contains("OS: Linux, ABI: 2.3.99"), notes.output());
    }

    @Test
    void executablePrintsItsMessageAndExitsZero() throws IOException {
        Path bin = write("nvidia-smi", writer.executable("hello from a fake binary\n"));
        Command run = Command.run(bin.toString());
        assertEquals(0, run.exitCode());
        assertEquals("hello from a fake binary\n", run.output());
    }

    @Test
    void refusesSonameWithSlash() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SharedObject(ElfClass.X86_64, "lib/foo.so", List.of(), AbiTag.LINUX_2_2_0));
        assertTrue(e.getMessage().contains("contains '/'"), e.getMessage());
    }
}
