package dev.nvjrun.driver.catalog;

import dev.nvjrun.driver.HostTools;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds a small driver root of real ELF stubs with the driver's SONAMEs and versioned names, and
 * caches it with the real {@code ldconfig -r}, for tests that run without the fakegpu kit.
 */
final class StubDriverRoot {

    static final String VERSION = "550.54.15";
    static final String STALE = "535.104.05";
    static final String LIB64 = "usr/lib/x86_64-linux-gnu";
    static final String LIB32 = "usr/lib/i386-linux-gnu";
    static final String OLD_LIB64 = "usr/lib64/nvidia-old";

    private final Path root;

    StubDriverRoot(Path root) {
        this.root = root;
    }

    Path root() {
        return root;
    }

    /** The full layout: 64-bit and 32-bit libraries, a stale driver, foreign GL, binaries, firmware, IPC. */
    StubDriverRoot build() throws IOException {
        Path lib32libc = root.resolve(LIB32).resolve("libc.so.6");
        HostTools.sharedObject(lib32libc, "libc.so.6", true, List.of());
        for (String[] lib : new String[][] {
                {"libnvidia-ml", "libnvidia-ml.so.1"}, {"libcuda", "libcuda.so.1"},
                {"libnvidia-ptxjitcompiler", "libnvidia-ptxjitcompiler.so.1"}, {"libnvidia-cfg", "libnvidia-cfg.so.1"},
                {"libnvidia-encode", "libnvidia-encode.so.1"}, {"libnvcuvid", "libnvcuvid.so.1"},
                {"libnvidia-glcore", "libnvidia-glcore.so." + VERSION}, {"libnvidia-eglcore", "libnvidia-eglcore.so." + VERSION},
                {"libnvidia-ngx", "libnvidia-ngx.so.1"}}) {
            library(LIB64, lib[0], VERSION, lib[1], false, List.of());
        }
        Path glcore = root.resolve(LIB64).resolve("libnvidia-glcore.so." + VERSION);
        Path eglcore = root.resolve(LIB64).resolve("libnvidia-eglcore.so." + VERSION);
        library(LIB64, "libGLX_nvidia", VERSION, "libGLX_nvidia.so.0", false, List.of(glcore));
        library(LIB64, "libEGL_nvidia", VERSION, "libEGL_nvidia.so.0", false, List.of(eglcore));
        // A legacy (non-GLVND) driver's own libGL: NVIDIA's, so it is taken.
        library(LIB64, "libGL", VERSION, "libGL.so.1", false, List.of(glcore));
        // A foreign libEGL that happens to carry the driver's version in its name: not NVIDIA's.
        library(LIB64, "libEGL", VERSION, "libEGL.so.1", false, List.of());
        // GLVND's libGLESv2 from the distribution.
        library(LIB64, "libGLESv2", "2.1.0", "libGLESv2.so.2", false, List.of());
        library(LIB64, "libnvidia-tls", VERSION, "libnvidia-tls.so." + VERSION, false, List.of(), "2, 3, 99");
        library(LIB64, "libnvidia-egl-wayland", "1.1.13", "libnvidia-egl-wayland.so.1", false, List.of());
        // A stale driver left behind in a directory searched first.
        library(OLD_LIB64, "libcuda", STALE, "libcuda.so.1", false, List.of());
        library(OLD_LIB64, "libnvidia-opencl", STALE, "libnvidia-opencl.so.1", false, List.of());
        for (String[] lib : new String[][] {{"libnvidia-ml", "libnvidia-ml.so.1"}, {"libcuda", "libcuda.so.1"}}) {
            library(LIB32, lib[0], VERSION, lib[1], true, List.of(lib32libc));
        }
        // The pre-NPTL TLS library: must be left out even with compat32.
        library(LIB32, "libnvidia-tls", VERSION, "libnvidia-tls.so." + VERSION, true, List.of(lib32libc), "2, 2, 5");
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/ld.so.conf"), "/" + OLD_LIB64 + "\n/" + LIB64 + "\n/" + LIB32 + "\n");
        HostTools.run("ldconfig", "-r", root.toString());
        for (String bin : List.of("usr/bin/nvidia-smi", "usr/bin/nvidia-cuda-mps-control", "usr/sbin/nvidia-persistenced")) {
            Files.createDirectories(root.resolve(bin).getParent());
            Files.copy(Path.of("/usr/bin/true"), root.resolve(bin));
        }
        for (String fw : List.of("lib/firmware/nvidia/" + VERSION + "/gsp_ga10x.bin",
                "lib/firmware/nvidia/" + VERSION + "/gsp_tu10x.bin", "lib/firmware/nvidia/" + STALE + "/gsp_ga10x.bin",
                "lib/firmware/nvidia/" + VERSION + "/README")) {
            Files.createDirectories(root.resolve(fw).getParent());
            Files.write(root.resolve(fw), new byte[] {1, 2, 3});
        }
        Path socket = root.resolve("run/nvidia-persistenced/socket");
        Files.createDirectories(socket.getParent());
        try (ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.bind(UnixDomainSocketAddress.of(socket));
        }
        Files.createDirectories(root.resolve("tmp/nvidia-mps"));
        return this;
    }

    private void library(String dir, String stem, String version, String soname, boolean bits32, List<Path> needed)
            throws IOException {
        library(dir, stem, version, soname, bits32, needed, null);
    }

    /** Writes DIR/STEM.so.VERSION; {@code abiTag} ("2, 3, 99") adds an NT_GNU_ABI_TAG note for Linux. */
    private void library(String dir, String stem, String version, String soname, boolean bits32, List<Path> needed,
                         String abiTag) throws IOException {
        Path out = root.resolve(dir).resolve(stem + ".so." + version);
        if (abiTag == null) {
            HostTools.sharedObject(out, soname, bits32, needed);
            return;
        }
        Files.createDirectories(out.getParent());
        Path src = Files.createTempFile("tls", ".c");
        try {
            Files.writeString(src, "__asm__(\".section .note.ABI-tag,\\\"a\\\",@note\\n.p2align 2\\n"
                    + ".long 4, 16, 1\\n.asciz \\\"GNU\\\"\\n.long 0, " + abiTag + "\\n.previous\");\nint tls_stub = 1;\n");
            List<String> cmd = new ArrayList<>(List.of("gcc", "-shared", "-fPIC", "-nostdlib", "-Wl,--no-as-needed",
                    "-Wl,-soname," + soname, "-o", out.toString(), src.toString()));
            if (bits32) {
                cmd.add(1, "-m32");
            }
            needed.forEach(n -> cmd.add(n.toString()));
            HostTools.run(cmd.toArray(String[]::new));
        } finally {
            Files.deleteIfExists(src);
        }
    }
}
