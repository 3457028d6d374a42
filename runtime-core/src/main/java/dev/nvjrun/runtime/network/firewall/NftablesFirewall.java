package dev.nvjrun.runtime.network.firewall;

import dev.nvjrun.runtime.network.NetworkException;
import dev.nvjrun.runtime.network.address.Ipv4Address;
import dev.nvjrun.runtime.network.address.Subnet;
import dev.nvjrun.runtime.network.host.CommandResult;
import dev.nvjrun.runtime.network.host.CommandRunner;
import dev.nvjrun.runtime.network.port.PortMapping;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The rules in a table of nvjrun's own ({@code table ip nvjrun}) for hosts that have nft but
 * not iptables. Base chains hook prerouting and output (DNAT of published ports, through the
 * regular chain {@code published}), postrouting (MASQUERADE) and forward. Rules are deleted by
 * the handles {@code nft -a} lists next to their owner's comment; every change is one
 * {@code nft -f -} batch, which the kernel applies atomically.
 */
public final class NftablesFirewall implements Firewall {
    private static final Pattern RULE = Pattern.compile(
            ".*comment \"(nvjrun(?:-net)?:[A-Za-z0-9_.-]+)\" # handle (\\d+)$");
    private static final Pattern CHAIN = Pattern.compile("\\s*chain (\\S+) \\{.*");

    private final CommandRunner commands;
    private final String table;

    NftablesFirewall(CommandRunner commands, String table) {
        if (!table.matches("[a-z][a-z0-9_-]{0,31}")) {
            throw new NetworkException("invalid nftables table name '" + table
                    + "': use 1 to 32 lower-case letters, digits, '-' or '_', such as nvjrun");
        }
        this.commands = commands;
        this.table = table;
    }

    @Override
    public String describe() {
        return "nftables (table ip " + table + ")";
    }

    @Override
    public void ensureNetwork(String bridge, Subnet subnet) {
        StringBuilder batch = new StringBuilder();
        if (listing().isEmpty()) {
            String t = "ip " + table;
            batch.append("add table ").append(t).append('\n')
                    .append("add chain ").append(t).append(" published\n")
                    .append("add chain ").append(t)
                    .append(" prerouting { type nat hook prerouting priority dstnat; policy accept; }\n")
                    .append("add chain ").append(t).append(" output { type nat hook output priority -100; policy accept; }\n")
                    .append("add chain ").append(t)
                    .append(" postrouting { type nat hook postrouting priority srcnat; policy accept; }\n")
                    .append("add chain ").append(t).append(" forward { type filter hook forward priority filter; policy accept; }\n")
                    .append("add rule ").append(t).append(" prerouting fib daddr type local jump published\n")
                    .append("add rule ").append(t).append(" output fib daddr type local jump published\n");
        }
        String tag = new RuleOwner.Network(bridge).tag();
        List<String> rules = List.of(
                "postrouting ip saddr " + subnet + " oifname != " + quoted(bridge) + " masquerade",
                // Replies to the host's own loopback clients must come back to the host, not to 127.0.0.1 inside.
                "postrouting ip saddr 127.0.0.0/8 oifname " + quoted(bridge) + " masquerade",
                // Hairpin: a container reaching a published port through a host address (see IptablesFirewall).
                "postrouting ip saddr " + subnet + " oifname " + quoted(bridge) + " ct status dnat masquerade",
                "forward iifname " + quoted(bridge) + " accept",
                "forward oifname " + quoted(bridge) + " ct state related,established accept");
        List<String> existing = deletions(tag);
        if (existing.size() != rules.size()) {
            existing.forEach(deletion -> batch.append(deletion).append('\n'));
            rules.forEach(rule -> batch.append(add(rule, tag)));
        }
        apply(batch.toString());
    }

    @Override
    public void addPortRules(String containerId, String bridge, Ipv4Address address, List<PortMapping> ports) {
        String tag = new RuleOwner.Container(containerId).tag();
        StringBuilder batch = new StringBuilder();
        for (PortMapping port : ports) {
            String proto = port.protocol().id();
            batch.append(add("published" + (port.hostIp().isEmpty() ? "" : " ip daddr " + port.hostIp())
                    + " " + proto + " dport " + port.hostPort()
                    + " dnat to " + address + ":" + port.containerPort(), tag));
            batch.append(add("forward ip daddr " + address + " iifname != " + quoted(bridge) + " oifname "
                    + quoted(bridge) + " " + proto + " dport " + port.containerPort() + " accept", tag));
        }
        apply(batch.toString());
    }

    @Override
    public Set<String> owners() {
        Set<String> owners = new LinkedHashSet<>();
        for (String line : listing()) {
            Matcher matcher = RULE.matcher(line);
            if (matcher.matches()) {
                owners.add(matcher.group(1));
            }
        }
        return owners;
    }

    @Override
    public List<String> rules() {
        return listing().stream().filter(line -> RULE.matcher(line).matches())
                .map(line -> line.substring(0, line.lastIndexOf(" # handle")).strip()).toList();
    }

    @Override
    public void removeAll() {
        if (!listing().isEmpty()) {
            apply("delete table ip " + table + "\n");
        }
    }

    @Override
    public int removeRules(RuleOwner owner) {
        String tag = owner.tag();
        List<String> deletions = deletions(tag);
        apply(String.join("\n", deletions) + (deletions.isEmpty() ? "" : "\n"));
        return deletions.size();
    }

    private List<String> deletions(String tag) {
        List<String> deletions = new ArrayList<>();
        String chain = null;
        for (String line : listing()) {
            Matcher chainLine = CHAIN.matcher(line);
            if (chainLine.matches()) {
                chain = chainLine.group(1);
                continue;
            }
            Matcher rule = RULE.matcher(line);
            if (chain != null && rule.matches() && rule.group(1).equals(tag)) {
                deletions.add("delete rule ip " + table + " " + chain + " handle " + rule.group(2));
            }
        }
        return deletions;
    }

    /** The table as {@code nft -a list} prints it, or nothing when it does not exist yet. */
    private List<String> listing() {
        CommandResult result = commands.attempt(List.of("nft", "-a", "list", "table", "ip", table), null);
        if (!result.succeeded()) {
            if (result.stderr().contains("No such file or directory")) {
                return List.of();
            }
            commands.run(result.command());
        }
        return result.stdout().lines().toList();
    }

    private void apply(String batch) {
        if (!batch.isEmpty()) {
            commands.run(List.of("nft", "-f", "-"), batch);
        }
    }

    private String add(String chainAndRule, String tag) {
        return "add rule ip " + table + " " + chainAndRule + " comment " + quoted(tag) + "\n";
    }

    private static String quoted(String text) {
        return "\"" + text + "\"";
    }
}
