package dev.nvjrun.runtime.mount;

import dev.nvjrun.runtime.spec.Mount;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The per-container /etc/hostname, /etc/hosts and /etc/resolv.conf that Docker provides: written into
 * the container's state directory and bind-mounted, so the image stays untouched.
 */
public final class EtcFiles {
    private EtcFiles() {
    }

    public static List<Mount> write(Path dir, String hostname, Path hostResolvConf) throws IOException {
        Files.createDirectories(dir);
        Path hostnameFile = dir.resolve("hostname");
        Path hosts = dir.resolve("hosts");
        Path resolv = dir.resolve("resolv.conf");
        Files.writeString(hostnameFile, hostname + "\n");
        Files.writeString(hosts, "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n"
                + (hostname.isEmpty() ? "" : "127.0.1.1\t" + hostname + "\n"));
        String resolvText = Files.isReadable(hostResolvConf) ? Files.readString(hostResolvConf) : "";
        Files.writeString(resolv, resolvText);
        return List.of(Mount.bind(hostnameFile.toString(), "/etc/hostname", false), Mount.bind(hosts.toString(), "/etc/hosts", false),
                Mount.bind(resolv.toString(), "/etc/resolv.conf", false));
    }
}
