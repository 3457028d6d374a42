package dev.nvjrun.runtime.network.firewall;

import dev.nvjrun.runtime.network.NetworkException;
import dev.nvjrun.runtime.network.address.Ipv4Address;
import dev.nvjrun.runtime.network.address.Subnet;
import dev.nvjrun.runtime.network.host.CommandRunner;
import dev.nvjrun.runtime.network.port.PortMapping;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * NAT and forwarding rules for bridge networks, kept in chains of nvjrun's own:
 * {@code PREFIX} (nat: DNAT of published ports, entered from PREROUTING and OUTPUT for local
 * destinations), {@code PREFIX-POSTROUTING} (nat: MASQUERADE) and {@code PREFIX-FORWARD}
 * (filter). Every rule carries a comment naming its owner ({@code nvjrun:CONTAINER} or
 * {@code nvjrun-net:BRIDGE}), so teardown deletes exactly what its owner added, found by reading
 * iptables-save, even after a crash lost the owner's state. Changes go through one
 * {@code iptables-restore --noflush} per step, which the kernel applies atomically.
 */
public final class IptablesFirewall implements Firewall {
    private static final Pattern COMMENT = Pattern.compile("--comment \"?(nvjrun(?:-net)?:[A-Za-z0-9_.-]+)\"?(?:\\s|$)");
    private static final String NAT = "nat";
    private static final String FILTER = "filter";

    private final CommandRunner commands;
    private final String dnatChain;
    private final String postroutingChain;
    private final String forwardChain;

    /** @param chainPrefix name of the DNAT chain and prefix of the others, {@code NVJRUN} in production */
    IptablesFirewall(CommandRunner commands, String chainPrefix) {
        if (!chainPrefix.matches("[A-Z][A-Z0-9_-]{0,15}")) {
            throw new NetworkException("invalid iptables chain prefix '" + chainPrefix
                    + "': use 1 to 16 upper-case letters, digits, '-' or '_', such as NVJRUN");
        }
        this.commands = commands;
        this.dnatChain = chainPrefix;
        this.postroutingChain = chainPrefix + "-POSTROUTING";
        this.forwardChain = chainPrefix + "-FORWARD";
    }

    /** {@code iptables (nf_tables)} or {@code iptables (legacy)}: iptables -V names the kernel side it drives. */
    @Override
    public String describe() {
        String version = commands.run(List.of("iptables", "-V")).stdout();
        return version.contains("nf_tables") ? "iptables (nf_tables)" : "iptables (legacy)";
    }

    @Override
    public void ensureNetwork(String bridge, Subnet subnet) {
        Saved saved = saved();
        List<String> nat = saved.nat();
        List<String> filter = saved.filter();
        StringBuilder natBatch = new StringBuilder();
        StringBuilder filterBatch = new StringBuilder();
        declareIfMissing(nat, dnatChain, natBatch);
        declareIfMissing(nat, postroutingChain, natBatch);
        declareIfMissing(filter, forwardChain, filterBatch);
        appendIfMissing(nat, "-A PREROUTING -m addrtype --dst-type LOCAL -j " + dnatChain, natBatch);
        appendIfMissing(nat, "-A OUTPUT -m addrtype --dst-type LOCAL -j " + dnatChain, natBatch);
        appendIfMissing(nat, "-A POSTROUTING -j " + postroutingChain, natBatch);
        if (!filter.contains("-A FORWARD -j " + forwardChain)) {
            // First in FORWARD, so a host whose FORWARD policy is DROP (Docker sets that) still forwards.
            filterBatch.append("-I FORWARD 1 -j ").append(forwardChain).append('\n');
        }
        String tag = new RuleOwner.Network(bridge).tag();
        List<String> natRules = List.of(
                "-A " + postroutingChain + " -s " + subnet + " ! -o " + bridge + comment(tag) + " -j MASQUERADE",
                // Replies to the host's own loopback clients must come back to the host, not to 127.0.0.1 inside.
                "-A " + postroutingChain + " -s 127.0.0.0/8 -o " + bridge + comment(tag) + " -j MASQUERADE",
                // Hairpin: a container reaching a published port through a host address is sent back into
                // the bridge; without this its peer would answer directly and the client would drop the reply.
                "-A " + postroutingChain + " -s " + subnet + " -o " + bridge + " -m conntrack --ctstate DNAT"
                        + comment(tag) + " -j MASQUERADE");
        List<String> filterRules = List.of(
                "-A " + forwardChain + " -i " + bridge + comment(tag) + " -j ACCEPT",
                "-A " + forwardChain + " -o " + bridge + " -m conntrack --ctstate RELATED,ESTABLISHED"
                        + comment(tag) + " -j ACCEPT");
        String natDeletions = deletions(nat, tag);
        String filterDeletions = deletions(filter, tag);
        if (natDeletions.lines().count() + filterDeletions.lines().count() != natRules.size() + filterRules.size()) {
            // Replace a partial set in the same atomic step that adds the full one.
            natBatch.append(natDeletions);
            filterBatch.append(filterDeletions);
            natRules.forEach(rule -> natBatch.append(rule).append('\n'));
            filterRules.forEach(rule -> filterBatch.append(rule).append('\n'));
        }
        restore(natBatch.toString(), filterBatch.toString());
    }

    @Override
    public void addPortRules(String containerId, String bridge, Ipv4Address address, List<PortMapping> ports) {
        if (ports.isEmpty()) {
            return;
        }
        String tag = new RuleOwner.Container(containerId).tag();
        StringBuilder nat = new StringBuilder();
        StringBuilder filter = new StringBuilder();
        for (PortMapping port : ports) {
            String proto = port.protocol().id();
            nat.append("-A ").append(dnatChain)
                    .append(port.hostIp().isEmpty() ? "" : " -d " + port.hostIp() + "/32")
                    .append(" -p ").append(proto).append(" -m ").append(proto).append(" --dport ").append(port.hostPort())
                    .append(comment(tag))
                    .append(" -j DNAT --to-destination ").append(address).append(':').append(port.containerPort())
                    .append('\n');
            filter.append("-A ").append(forwardChain)
                    .append(" -d ").append(address).append("/32 ! -i ").append(bridge).append(" -o ").append(bridge)
                    .append(" -p ").append(proto).append(" -m ").append(proto).append(" --dport ").append(port.containerPort())
                    .append(comment(tag)).append(" -j ACCEPT\n");
        }
        restore(nat.toString(), filter.toString());
    }

    @Override
    public Set<String> owners() {
        Set<String> owners = new LinkedHashSet<>();
        Saved saved = saved();
        for (List<String> table : List.of(saved.nat(), saved.filter())) {
            for (String line : ownRules(table)) {
                Matcher matcher = COMMENT.matcher(line);
                if (matcher.find()) {
                    owners.add(matcher.group(1));
                }
            }
        }
        return owners;
    }

    @Override
    public List<String> rules() {
        Saved saved = saved();
        List<String> rules = new ArrayList<>(ownRules(saved.nat()));
        rules.addAll(ownRules(saved.filter()));
        return rules;
    }

    @Override
    public void removeAll() {
        Saved saved = saved();
        List<String> nat = saved.nat();
        List<String> filter = saved.filter();
        StringBuilder natBatch = new StringBuilder();
        StringBuilder filterBatch = new StringBuilder();
        for (String jump : List.of("-A PREROUTING -m addrtype --dst-type LOCAL -j " + dnatChain,
                "-A OUTPUT -m addrtype --dst-type LOCAL -j " + dnatChain, "-A POSTROUTING -j " + postroutingChain)) {
            if (nat.contains(jump)) {
                natBatch.append("-D").append(jump.substring(2)).append('\n');
            }
        }
        if (filter.contains("-A FORWARD -j " + forwardChain)) {
            filterBatch.append("-D FORWARD -j ").append(forwardChain).append('\n');
        }
        for (String chain : List.of(dnatChain, postroutingChain)) {
            if (nat.contains(":" + chain + " - [0:0]") || nat.stream().anyMatch(l -> l.startsWith(":" + chain + " "))) {
                natBatch.append("-F ").append(chain).append("\n-X ").append(chain).append('\n');
            }
        }
        if (filter.stream().anyMatch(l -> l.startsWith(":" + forwardChain + " "))) {
            filterBatch.append("-F ").append(forwardChain).append("\n-X ").append(forwardChain).append('\n');
        }
        restore(natBatch.toString(), filterBatch.toString());
    }

    @Override
    public int removeRules(RuleOwner owner) {
        String tag = owner.tag();
        Saved saved = saved();
        String nat = deletions(saved.nat(), tag);
        String filter = deletions(saved.filter(), tag);
        restore(nat, filter);
        return (int) (nat.lines().count() + filter.lines().count());
    }

    private String deletions(List<String> saved, String tag) {
        StringBuilder batch = new StringBuilder();
        for (String line : ownRules(saved)) {
            Matcher matcher = COMMENT.matcher(line);
            if (matcher.find() && matcher.group(1).equals(tag)) {
                batch.append("-D").append(line.substring(2)).append('\n');
            }
        }
        return batch.toString();
    }

    private List<String> ownRules(List<String> saved) {
        List<String> own = new ArrayList<>();
        for (String line : saved) {
            for (String chain : List.of(dnatChain, postroutingChain, forwardChain)) {
                if (line.startsWith("-A " + chain + " ")) {
                    own.add(line);
                }
            }
        }
        return own;
    }

    /**
     * The nat and filter tables in one {@code iptables-save} of every table, one process instead
     * of one per table; a table the kernel does not have yet reads as empty, so its chains are
     * declared and iptables-restore creates it, as {@code iptables-save -t} would have.
     */
    private Saved saved() {
        Map<String, List<String>> tables = new HashMap<>();
        List<String> current = null;
        for (String line : commands.run(List.of("iptables-save")).stdout().lines().map(String::strip).toList()) {
            if (line.startsWith("*")) {
                current = tables.computeIfAbsent(line.substring(1), table -> new ArrayList<>());
            } else if (line.equals("COMMIT")) {
                current = null;
            } else if (current != null) {
                current.add(line);
            }
        }
        return new Saved(tables.getOrDefault(NAT, List.of()), tables.getOrDefault(FILTER, List.of()));
    }

    /** The lines of the two tables nvjrun writes, as iptables-save printed them. */
    private record Saved(List<String> nat, List<String> filter) {
    }

    private void restore(String nat, String filter) {
        if (nat.isEmpty() && filter.isEmpty()) {
            return;
        }
        StringBuilder input = new StringBuilder();
        if (!nat.isEmpty()) {
            input.append("*nat\n").append(nat).append("COMMIT\n");
        }
        if (!filter.isEmpty()) {
            input.append("*filter\n").append(filter).append("COMMIT\n");
        }
        commands.run(List.of("iptables-restore", "-w", "--noflush"), input.toString());
    }

    private static void declareIfMissing(List<String> saved, String chain, StringBuilder batch) {
        if (saved.stream().noneMatch(line -> line.startsWith(":" + chain + " "))) {
            batch.append(':').append(chain).append(" - [0:0]\n");
        }
    }

    private static void appendIfMissing(List<String> saved, String rule, StringBuilder batch) {
        if (!saved.contains(rule)) {
            batch.append(rule).append('\n');
        }
    }

    private static String comment(String tag) {
        return " -m comment --comment " + tag;
    }
}
