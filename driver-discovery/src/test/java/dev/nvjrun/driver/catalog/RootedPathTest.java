package dev.nvjrun.driver.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RootedPathTest {

    @TempDir
    Path root;

    @Test
    void followsAbsoluteSymlinksInsideTheRoot() throws IOException {
        Files.createDirectories(root.resolve("usr/lib"));
        Files.writeString(root.resolve("usr/lib/libcuda.so.550"), "x");
        Files.createSymbolicLink(root.resolve("usr/lib/libcuda.so.1"), Path.of("/usr/lib/libcuda.so.550"));
        Files.createSymbolicLink(root.resolve("lib"), Path.of("usr/lib"));
        assertEquals(Optional.of(root.resolve("usr/lib/libcuda.so.550")), RootedPath.resolve(root, "/lib/libcuda.so.1"));
    }

    @Test
    void neverEscapesTheRoot() throws IOException {
        Files.createDirectories(root.resolve("a"));
        Files.createSymbolicLink(root.resolve("a/passwd"), Path.of("../../../../../../etc/passwd"));
        assertTrue(Files.exists(Path.of("/etc/passwd")), "the host file the link aims at must exist for this test");
        assertEquals(Optional.empty(), RootedPath.resolve(root, "/a/passwd"));
        assertEquals(Optional.empty(), RootedPath.resolve(root, "/../../etc/passwd"));
    }

    @Test
    void refusesSymlinkLoops() throws IOException {
        Files.createSymbolicLink(root.resolve("loop"), Path.of("/loop"));
        IOException e = assertThrows(IOException.class, () -> RootedPath.resolve(root, "/loop"));
        assertTrue(e.getMessage().startsWith("too many levels of symbolic links"), e.getMessage());
    }
}
