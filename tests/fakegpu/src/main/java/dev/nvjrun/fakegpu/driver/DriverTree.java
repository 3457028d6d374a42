package dev.nvjrun.fakegpu.driver;

import dev.nvjrun.fakegpu.elf.AbiTag;
import dev.nvjrun.fakegpu.elf.ElfClass;
import dev.nvjrun.fakegpu.elf.ElfWriter;
import dev.nvjrun.fakegpu.elf.SharedObject;
import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * Writes the file side of a fake driver under a root directory: stub libraries (64- and 32-bit),
 * the compiled mock NVML, decoys that discovery must skip, binaries, GSP firmware, the optional
 * persistenced socket and etc/ld.so.conf. The ld.so.cache itself is left to {@link LdCacheBuilder}.
 */
public final class DriverTree {

    /** Where stale libraries of an older driver sit; listed in ld.so.conf so they reach the cache. */
    public static final String STALE_DIRECTORY = "usr/lib/x86_64-linux-gnu/nvidia/old";

    private final DriverCatalog catalog;
    private final ElfWriter elf = new ElfWriter();

    public DriverTree(DriverCatalog catalog) {
        this.catalog = catalog;
    }

    /** Writes everything under {@code root}; {@code mockResource} names the mock NVML in the jar. */
    public void write(Path root, String mockResource, boolean persistenced) throws IOException {
        Path lib64 = Files.createDirectories(root.resolve(ElfClass.X86_64.multiarchDirectory()));
        Path lib32 = Files.createDirectories(root.resolve(ElfClass.I386.multiarchDirectory()));
        for (DriverLibrary library : catalog.libraries()) {
            if (library.soname().equals("libnvidia-ml.so.1")) {
                copyMock(mockResource, lib64.resolve(library.fileName()));
                continue;
            }
            writeStub(lib64.resolve(library.fileName()), ElfClass.X86_64, library);
            if (library.has32Bit()) {
                writeStub(lib32.resolve(library.fileName()), ElfClass.I386, library);
            }
        }
        writeDecoys(root, lib64);
        writeBinaries(root);
        writeFirmware(root);
        if (persistenced) {
            bindPersistencedSocket(root);
        }
        writeLdSoConf(root);
    }

    /** The version of the stale driver whose leftovers sit in {@link #STALE_DIRECTORY}. */
    public String staleVersion() {
        return catalog.version().equals("470.239.06") ? "418.226.00" : "470.239.06";
    }

    private void writeStub(Path file, ElfClass elfClass, DriverLibrary library) throws IOException {
        writeExecutable(file, elf.sharedObject(new SharedObject(elfClass, library.soname(), library.needed(),
                library.abiTag())));
    }

    private void copyMock(String resource, Path target) throws IOException {
        try (InputStream in = DriverTree.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("the mock NVML library " + resource + " is missing from the nvjrun-fakegpu jar;"
                        + " rebuild the module with `mvn -pl tests/fakegpu install` on a machine with gcc");
            }
            writeExecutable(target, in.readAllBytes());
        }
    }

    /** Mesa-style GL libraries and an older driver's leftovers: present, cached, and not ours. */
    private void writeDecoys(Path root, Path lib64) throws IOException {
        List<String> glapi = List.of("libglapi.so.0");
        writeExecutable(lib64.resolve("libGL.so.1.7.0"), elf.sharedObject(
                new SharedObject(ElfClass.X86_64, "libGL.so.1", glapi, AbiTag.LINUX_2_2_0)));
        writeExecutable(lib64.resolve("libEGL_mesa.so.0.0.0"), elf.sharedObject(
                new SharedObject(ElfClass.X86_64, "libEGL_mesa.so.0", glapi, AbiTag.LINUX_2_2_0)));
        writeExecutable(lib64.resolve("libGLX_mesa.so.0.0.0"), elf.sharedObject(
                new SharedObject(ElfClass.X86_64, "libGLX_mesa.so.0", glapi, AbiTag.LINUX_2_2_0)));
        Path stale = Files.createDirectories(root.resolve(STALE_DIRECTORY));
        String old = staleVersion();
        List<String> libc = List.of("libc.so.6");
        writeExecutable(stale.resolve("libcuda.so." + old), elf.sharedObject(
                new SharedObject(ElfClass.X86_64, "libcuda.so.1", libc, AbiTag.LINUX_2_2_0)));
        writeExecutable(stale.resolve("libnvidia-ml.so." + old), elf.sharedObject(
                new SharedObject(ElfClass.X86_64, "libnvidia-ml.so.1", libc, AbiTag.LINUX_2_2_0)));
    }

    private void writeBinaries(Path root) throws IOException {
        Path bin = Files.createDirectories(root.resolve("usr/bin"));
        for (String name : catalog.binaries()) {
            writeExecutable(bin.resolve(name), elf.executable(
                    name + ": fake NVIDIA driver " + catalog.version() + " binary (nvjrun-fakegpu)\n"));
        }
    }

    private void writeFirmware(Path root) throws IOException {
        Path dir = Files.createDirectories(root.resolve("lib/firmware/nvidia/" + catalog.version()));
        for (String name : catalog.firmware()) {
            Files.writeString(dir.resolve(name), "nvjrun-fakegpu GSP firmware " + name + " for driver "
                    + catalog.version() + "\n");
        }
    }

    private static void bindPersistencedSocket(Path root) throws IOException {
        Path socket = Files.createDirectories(root.resolve("run/nvidia-persistenced")).resolve("socket");
        // Binding creates the socket file; nothing listens, which is all discovery looks at.
        try (ServerSocketChannel channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.bind(UnixDomainSocketAddress.of(socket));
        }
    }

    private static void writeLdSoConf(Path root) throws IOException {
        Path etc = Files.createDirectories(root.resolve("etc"));
        String conf = "/" + ElfClass.X86_64.multiarchDirectory() + "\n"
                + "/" + ElfClass.I386.multiarchDirectory() + "\n"
                + "/" + STALE_DIRECTORY + "\n";
        Files.writeString(etc.resolve("ld.so.conf"), conf, StandardCharsets.UTF_8);
    }

    private static void writeExecutable(Path file, byte[] bytes) throws IOException {
        Files.write(file, bytes);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
