package dev.nvjrun.runtime.network.firewall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.nvjrun.runtime.network.NetworkException;
import dev.nvjrun.runtime.network.address.Ipv4Address;
import dev.nvjrun.runtime.network.address.Subnet;
import dev.nvjrun.runtime.network.host.CommandRunner;
import dev.nvjrun.runtime.network.port.PortMapping;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Both backends against the real kernel, with names no one else uses; run as root. */
class FirewallTest {
    private static final Subnet SUBNET = Subnet.parse("10.250.7.0/24");

    private final CommandRunner commands = new CommandRunner();
    private final String prefix = String.format("NVJF%06X", ThreadLocalRandom.current().nextInt(0x1000000));
    private final String bridge = "nvjf" + prefix.substring(4).toLowerCase();
    private Firewall firewall;

    @AfterEach
    void removeEverything() {
        if (firewall != null) {
            firewall.removeAll();
            assertEquals(List.of(), firewall.rules(), "removeAll leaves no rule");
        }
    }

    @ParameterizedTest
    @EnumSource(value = FirewallChoice.class, names = {"IPTABLES", "NFTABLES"})
    void ensuringANetworkTwiceAddsItsRulesOnce(FirewallChoice choice) {
        firewall = open(choice);

        firewall.ensureNetwork(bridge, SUBNET);
        firewall.ensureNetwork(bridge, SUBNET);

        assertEquals(5, firewall.rules().size(), String.join("\n", firewall.rules()));
        assertEquals(Set.of("nvjrun-net:" + bridge), firewall.owners());
    }

    @ParameterizedTest
    @EnumSource(value = FirewallChoice.class, names = {"IPTABLES", "NFTABLES"})
    void ensuringANetworkRepairsAPartialRuleSet(FirewallChoice choice) {
        firewall = open(choice);
        firewall.ensureNetwork(bridge, SUBNET);
        firewall.addPortRules("c1", bridge, Ipv4Address.parse("10.250.7.2"), List.of(PortMapping.parse("8080:80")));
        deleteOneNetworkRule(choice);

        firewall.ensureNetwork(bridge, SUBNET);

        assertEquals(7, firewall.rules().size(), "five network rules again, and the container's two untouched");
    }

    @ParameterizedTest
    @EnumSource(value = FirewallChoice.class, names = {"IPTABLES", "NFTABLES"})
    void removesExactlyTheOwnersRules(FirewallChoice choice) {
        firewall = open(choice);
        firewall.ensureNetwork(bridge, SUBNET);
        firewall.addPortRules("c1", bridge, Ipv4Address.parse("10.250.7.2"),
                List.of(PortMapping.parse("127.0.0.1:8080:80"), PortMapping.parse("53/udp").withHostPort(5353)));
        firewall.addPortRules("c10", bridge, Ipv4Address.parse("10.250.7.3"), List.of(PortMapping.parse("9090:90")));

        assertEquals(4, firewall.removeContainerRules("c1"));

        assertEquals(Set.of("nvjrun-net:" + bridge, "nvjrun:c10"), firewall.owners(), "c10 is not c1");
        assertEquals(0, firewall.removeContainerRules("c1"), "a second removal finds nothing");
        assertEquals(5, firewall.removeNetworkRules(bridge));
        assertEquals(Set.of("nvjrun:c10"), firewall.owners());
    }

    @ParameterizedTest
    @EnumSource(value = FirewallChoice.class, names = {"IPTABLES", "NFTABLES"})
    void namesTheToolItDrives(FirewallChoice choice) {
        firewall = open(choice);

        String description = firewall.describe();

        assertTrue(description.startsWith(choice == FirewallChoice.IPTABLES ? "iptables (" : "nftables (table ip nvjf"),
                description);
    }

    @ParameterizedTest
    @EnumSource(value = FirewallChoice.class, names = {"IPTABLES", "NFTABLES"})
    void refusesBadChainNames(FirewallChoice choice) {
        assertThrows(NetworkException.class, () -> Firewall.forHost(commands, choice, "bad name; drop"));
    }

    private Firewall open(FirewallChoice choice) {
        if (!"root".equals(System.getProperty("user.name"))) {
            fail("firewall tests change the kernel's packet filter and must run as root");
        }
        return Firewall.forHost(commands, choice, prefix);
    }

    private void deleteOneNetworkRule(FirewallChoice choice) {
        if (choice == FirewallChoice.IPTABLES) {
            commands.run(List.of("iptables", "-w", "-D", prefix + "-FORWARD", "-i", bridge, "-m", "comment",
                    "--comment", "nvjrun-net:" + bridge, "-j", "ACCEPT"));
        } else {
            String listing = commands.run(List.of("nft", "-a", "list", "chain", "ip", prefix.toLowerCase(), "forward"))
                    .stdout();
            String handle = listing.lines().filter(line -> line.contains("iifname \"" + bridge + "\" accept"))
                    .map(line -> line.substring(line.lastIndexOf(' ') + 1)).findFirst().orElseThrow();
            commands.run(List.of("nft", "delete", "rule", "ip", prefix.toLowerCase(), "forward", "handle", handle));
        }
        assertEquals(6, firewall.rules().size(), "one network rule is gone before the repair");
    }
}
