package dev.nvjrun.launcher.container;

import dev.nvjrun.runtime.image.ImageService;
import dev.nvjrun.runtime.store.StoreLayout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/** A one-layer image of Debian's busybox-static (/bin/busybox and a link per applet), imported into a state root. */
final class BusyboxImage {
    static final String NAME = "busybox:test";
    private static final Path BUSYBOX = Path.of("/bin/busybox");

    private BusyboxImage() {
    }

    static void importInto(Path stateRoot, Path workDir) throws IOException, InterruptedException {
        if (!Files.isExecutable(BUSYBOX)) {
            throw new IllegalStateException("these tests need /bin/busybox from the Debian package busybox-static; apt-get install busybox-static");
        }
        Path dir = workDir.resolve("busybox-rootfs");
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Files.copy(BUSYBOX, bin.resolve("busybox"), StandardCopyOption.REPLACE_EXISTING);
        Process list = new ProcessBuilder(BUSYBOX.toString(), "--list").start();
        for (String applet : new String(list.getInputStream().readAllBytes()).lines().filter(s -> !s.isBlank()).toList()) {
            if (!applet.equals("busybox")) {
                Files.createSymbolicLink(bin.resolve(applet), Path.of("busybox"));
            }
        }
        list.waitFor();
        for (String d : List.of("proc", "sys", "dev", "etc", "tmp", "root")) {
            Files.createDirectories(dir.resolve(d));
        }
        Files.writeString(dir.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n");
        Files.writeString(dir.resolve("etc/group"), "root:x:0:\nnogroup:x:65534:\n");
        Path tar = workDir.resolve("busybox.tar");
        Process p = new ProcessBuilder("tar", "-C", dir.toString(), "-cf", tar.toString(), ".").inheritIO().start();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("tar failed to pack " + dir);
        }
        new ImageService(new StoreLayout(stateRoot)).importRootfs(tar, NAME);
    }
}
