package dev.nvjrun.runtime.network.dns;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The container's /etc/hosts: loopback names, the container's own address with its host name and
 * container name, the names of the other containers on the same user-defined network, and the
 * user's {@code --add-host} entries (last, so that they are easy to spot).
 */
public final class HostsFile {
    private final List<HostEntry> self;
    private final List<HostEntry> peers;
    private final List<HostEntry> extra;

    public HostsFile(String address, Set<String> ownNames, List<HostEntry> peers, List<HostEntry> extra) {
        List<HostEntry> own = new ArrayList<>();
        for (String name : new LinkedHashSet<>(ownNames)) {
            own.add(new HostEntry(address, name));
        }
        this.self = List.copyOf(own);
        this.peers = List.copyOf(peers);
        this.extra = List.copyOf(extra);
    }

    public String render() {
        StringBuilder text = new StringBuilder()
                .append("127.0.0.1\tlocalhost\n")
                .append("::1\tlocalhost ip6-localhost ip6-loopback\n")
                .append("fe00::0\tip6-localnet\n")
                .append("ff00::0\tip6-mcastprefix\n")
                .append("ff02::1\tip6-allnodes\n")
                .append("ff02::2\tip6-allrouters\n");
        appendGrouped(text, self);
        for (HostEntry peer : peers) {
            text.append(peer.address()).append('\t').append(peer.name()).append('\n');
        }
        for (HostEntry entry : extra) {
            text.append(entry.address()).append('\t').append(entry.name()).append('\n');
        }
        return text.toString();
    }

    /** One line for all of the container's own names, as Docker writes it. */
    private static void appendGrouped(StringBuilder text, List<HostEntry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        text.append(entries.get(0).address()).append('\t')
                .append(String.join(" ", entries.stream().map(HostEntry::name).toList())).append('\n');
    }
}
