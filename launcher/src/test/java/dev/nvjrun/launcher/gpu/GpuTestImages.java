package dev.nvjrun.launcher.gpu;

import dev.nvjrun.runtime.image.ImageService;
import dev.nvjrun.runtime.store.StoreLayout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Images that know nothing about GPUs, built from the host: busybox (Debian's busybox-static)
 * and a glibc one (the host's ld.so, libc.so.6 and ldconfig besides busybox), so that
 * {@code ldconfig -p} inside shows what the dynamic linker of a real distribution image would find;
 * and a busybox on which the host's ldconfig fails.
 */
final class GpuTestImages {
    static final String BUSYBOX = "busybox:gpu-test";
    static final String GLIBC = "glibc:gpu-test";
    /** Busybox whose /etc/ld.so.cache~ is a directory, so that ldconfig cannot write the cache. */
    static final String UNWRITABLE_LD_CACHE = "unwritable-ld-cache:gpu-test";
    private static final Path BUSYBOX_BINARY = Path.of("/bin/busybox");

    private GpuTestImages() {
    }

    static void importInto(Path stateRoot, Path workDir) throws IOException, InterruptedException {
        if (!Files.isExecutable(BUSYBOX_BINARY)) {
            throw new IllegalStateException("these tests need /bin/busybox; apt-get install busybox-static");
        }
        ImageService images = new ImageService(new StoreLayout(stateRoot));
        Path busybox = busyboxRoot(workDir.resolve("busybox-rootfs"));
        images.importRootfs(tar(busybox, workDir.resolve("busybox.tar")), BUSYBOX);
        Path glibc = busyboxRoot(workDir.resolve("glibc-rootfs"));
        copy(Path.of("/lib64/ld-linux-x86-64.so.2"), glibc.resolve("lib64/ld-linux-x86-64.so.2"));
        copy(Path.of("/lib/x86_64-linux-gnu/libc.so.6"), glibc.resolve("lib/x86_64-linux-gnu/libc.so.6"));
        copy(Path.of("/sbin/ldconfig"), glibc.resolve("sbin/ldconfig"));
        Files.createDirectories(glibc.resolve("etc/ld.so.conf.d"));
        Files.writeString(glibc.resolve("etc/ld.so.conf"), "include /etc/ld.so.conf.d/*.conf\n");
        Files.writeString(glibc.resolve("etc/ld.so.conf.d/x86_64-linux-gnu.conf"), "/lib/x86_64-linux-gnu\n");
        images.importRootfs(tar(glibc, workDir.resolve("glibc.tar")), GLIBC);
        Path unwritable = busyboxRoot(workDir.resolve("unwritable-rootfs"));
        Files.createDirectories(unwritable.resolve("etc/ld.so.cache~"));
        images.importRootfs(tar(unwritable, workDir.resolve("unwritable.tar")), UNWRITABLE_LD_CACHE);
    }

    private static Path busyboxRoot(Path dir) throws IOException, InterruptedException {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Files.copy(BUSYBOX_BINARY, bin.resolve("busybox"));
        Process list = new ProcessBuilder(BUSYBOX_BINARY.toString(), "--list").start();
        for (String applet : new String(list.getInputStream().readAllBytes()).lines().filter(s -> !s.isBlank()).toList()) {
            if (!applet.equals("busybox") && !applet.equals("ldconfig")) {
                Files.createSymbolicLink(bin.resolve(applet), Path.of("busybox"));
            }
        }
        list.waitFor();
        for (String d : List.of("proc", "sys", "dev", "etc", "tmp", "root")) {
            Files.createDirectories(dir.resolve(d));
        }
        Files.writeString(dir.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\n");
        Files.writeString(dir.resolve("etc/group"), "root:x:0:\n");
        return dir;
    }

    private static void copy(Path hostFile, Path target) throws IOException {
        Files.createDirectories(target.getParent());
        Files.copy(hostFile, target);
    }

    private static Path tar(Path dir, Path tar) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("tar", "-C", dir.toString(), "-cf", tar.toString(), ".").inheritIO().start();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("tar failed to pack " + dir);
        }
        return tar;
    }
}
