package dev.nvjrun.plugin.daemon;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UvmModuleTest {

    @TempDir
    Path tmp;

    @Test
    void runsNvidiaModprobeWithTheUvmFlags() throws Exception {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path record = tmp.resolve("args");
        script(bin, "#!/bin/sh\necho \"$@\" > " + record + "\n");

        assertTrue(UvmModule.load(List.of(tmp.resolve("empty"), bin)));

        assertEquals("-u -c=0\n", Files.readString(record));
    }

    @Test
    void skipsWhenNvidiaModprobeIsMissing() throws Exception {
        assertFalse(UvmModule.load(List.of(tmp)));
    }

    @Test
    void explainsAFailingNvidiaModprobe() throws Exception {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        script(bin, "#!/bin/sh\necho 'FATAL: Module nvidia_uvm not found' >&2\nexit 1\n");

        PluginException e = assertThrows(PluginException.class, () -> UvmModule.load(List.of(bin)));

        assertTrue(e.getMessage().contains("exited with 1") && e.getMessage().contains("Module nvidia_uvm not found"), e.getMessage());
    }

    private static void script(Path dir, String text) throws Exception {
        Path file = dir.resolve("nvidia-modprobe");
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
