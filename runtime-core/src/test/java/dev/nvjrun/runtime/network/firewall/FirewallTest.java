package dev.nvjrun.runtime.network.firewall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.nvjrun.runtime.network.NetworkException;
import dev.nvjrun.runtime.network.address.Ipv4Address;
import dev.nvjrun.runtime.network.address.Subnet;
import dev.nvjrun.runtime.network.host.CommandRunner;
import dev.nvjrun.runtime.network.host.SearchPath;
import dev.nvjrun.runtime.network.port.PortMapping;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
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
    void ensuringANetworkAfterAFirewallReloadFlushedItsChainsPutsEverythingBack(FirewallChoice choice) {
        firewall = open(choice);
        firewall.ensureNetwork(bridge, SUBNET);
        if (choice == FirewallChoice.IPTABLES) {
            commands.run(List.of("iptables", "-w", "-t", "nat", "-F", prefix + "-POSTROUTING"));
            commands.run(List.of("iptables", "-w", "-F", prefix + "-FORWARD"));
            commands.run(List.of("iptables", "-w", "-D", "FORWARD", "-j", prefix + "-FORWARD"));
        } else {
            commands.run(List.of("nft", "flush", "table", "ip", prefix.toLowerCase()));
        }
        assertEquals(List.of(), firewall.rules(), "the flush left none of the network's rules");

        firewall.ensureNetwork(bridge, SUBNET);

        assertEquals(5, firewall.rules().size(), String.join("\n", firewall.rules()));
        if (choice == FirewallChoice.IPTABLES) {
            assertTrue(commands.run(List.of("iptables-save", "-t", "filter")).stdout().lines()
                    .anyMatch(line -> line.equals("-A FORWARD -j " + prefix + "-FORWARD")), "FORWARD jumps to the chain again");
        }
    }

    @Test
    void autoLooksForTheToolsOnThePathPreferringIptables(@TempDir Path bin) throws Exception {
        assertThrows(NetworkException.class, () -> Firewall.forHost(commands, FirewallChoice.AUTO, "NVJRUN",
                new SearchPath(List.of(bin))), "neither tool");
        Files.writeString(bin.resolve("iptables"), "#!/bin/sh\n");
        assertThrows(NetworkException.class, () -> Firewall.forHost(commands, FirewallChoice.AUTO, "NVJRUN",
                new SearchPath(List.of(bin))), "a file that is not executable is not the tool");

        Files.setPosixFilePermissions(Files.writeString(bin.resolve("nft"), "#!/bin/sh\n"),
                PosixFilePermissions.fromString("rwxr-xr-x"));
        assertInstanceOf(NftablesFirewall.class, Firewall.forHost(commands, FirewallChoice.AUTO, "NVJRUN",
                new SearchPath(List.of(Path.of("/nonexistent"), bin))));

        Files.setPosixFilePermissions(bin.resolve("iptables"), PosixFilePermissions.fromString("rwxr-xr-x"));
        assertInstanceOf(IptablesFirewall.class, Firewall.forHost(commands, FirewallChoice.AUTO, "NVJRUN",
                new SearchPath(List.of(bin))));
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
