package dev.nvjrun.launcher.network;

import dev.nvjrun.runtime.network.NetworkSettings;
import dev.nvjrun.runtime.network.firewall.FirewallChoice;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Where one nvjrun state root keeps its network state, and the host-wide names it uses. The
 * default root gets Docker-like names ({@code nvjrun0}, chains {@code NVJRUN}, namespace files
 * {@code /run/netns/nvjrun-*}); any other root (tests, a second installation) gets names derived
 * from its path, because two roots sharing one bridge or chain would undo each other's work on prune.
 *
 * @param stateDir     networks, leases and attachments ({@code ROOT/network})
 * @param bridge       the bridge of the default network {@code bridge}
 * @param chainPrefix  prefix of the packet filter chains
 * @param netnsPrefix  prefix of the namespace files under {@link #NETNS_DIR}
 */
public record NetworkNames(Path stateDir, String bridge, String chainPrefix, String netnsPrefix) {
    /** Where {@code ip netns} keeps its namespace files (a shared mount, so unmounts reach every namespace). */
    public static final Path NETNS_DIR = Path.of("/run/netns");
    static final Path DEFAULT_ROOT = Path.of("/var/lib/nvjrun");

    public static NetworkNames forRoot(Path root) {
        Path absolute = root.toAbsolutePath().normalize();
        Path stateDir = absolute.resolve("network");
        if (absolute.equals(DEFAULT_ROOT)) {
            return new NetworkNames(stateDir, NetworkSettings.DEFAULT_BRIDGE, NetworkSettings.DEFAULT_CHAIN_PREFIX, "nvjrun-");
        }
        String tag = tag(absolute.toString());
        return new NetworkNames(stateDir, "nvj0" + tag, "NVJ" + tag.toUpperCase(), "nvj" + tag + "-");
    }

    public NetworkSettings settings() {
        return new NetworkSettings(stateDir, bridge, Optional.empty(), chainPrefix, FirewallChoice.AUTO,
                Path.of("/etc/resolv.conf"), OptionalInt.empty());
    }

    /** The namespace file of a new bridge container; {@code key} is random, the container id is not known yet. */
    public Path netnsFile(String key) {
        return NETNS_DIR.resolve(netnsPrefix + key);
    }

    /** Whether this root made the namespace file (and so must remove it with the container). */
    public boolean owns(Path netnsFile) {
        return netnsFile != null && netnsFile.getParent() != null && netnsFile.getParent().equals(NETNS_DIR)
                && netnsFile.getFileName().toString().startsWith(netnsPrefix);
    }

    private static String tag(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 3);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
