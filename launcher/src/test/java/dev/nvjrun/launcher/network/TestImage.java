package dev.nvjrun.launcher.network;

import dev.nvjrun.runtime.image.ImageService;
import dev.nvjrun.runtime.store.StoreLayout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/** A one-layer image of Debian's busybox-static (sh, httpd, wget, ping, ip), imported into a state root. */
final class TestImage {
    static final String NAME = "netbox:test";
    private static final Path BUSYBOX = Path.of("/bin/busybox");

    private TestImage() {
    }

    static void importInto(Path stateRoot, Path workDir) throws IOException, InterruptedException {
        if (!Files.isExecutable(BUSYBOX)) {
            throw new IllegalStateException("these tests need /bin/busybox from the Debian package busybox-static; apt-get install busybox-static");
        }
        Path dir = workDir.resolve("netbox-rootfs");
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Files.copy(BUSYBOX, bin.resolve("busybox"), StandardCopyOption.REPLACE_EXISTING);
        for (String applet : List.of("sh", "httpd", "wget", "ping", "ip", "cat", "echo", "mkdir", "readlink", "true", "sleep",
                "hostname", "awk", "grep", "nslookup")) {
            Files.createSymbolicLink(bin.resolve(applet), Path.of("busybox"));
        }
        for (String d : List.of("proc", "sys", "dev", "etc", "tmp", "www")) {
            Files.createDirectories(dir.resolve(d));
        }
        Files.writeString(dir.resolve("www/index.html"), "hello from the container\n");
        Files.writeString(dir.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\n");
        Files.writeString(dir.resolve("etc/group"), "root:x:0:\n");
        Path tar = workDir.resolve("netbox.tar");
        Process p = new ProcessBuilder("tar", "-C", dir.toString(), "-cf", tar.toString(), ".").inheritIO().start();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("tar failed to pack " + dir);
        }
        new ImageService(new StoreLayout(stateRoot)).importRootfs(tar, NAME);
    }
}
