package dev.nvjrun.runtime.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.spy;

import dev.nvjrun.runtime.network.firewall.FirewallChoice;
import dev.nvjrun.runtime.network.host.CommandRunner;
import dev.nvjrun.runtime.network.port.PortMapping;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Nothing is left behind: by detach, by prune after SIGKILL or a killed CLI, over many runs. Run as root. */
class TeardownTest {
    private static final List<PortMapping> PORTS = List.of(PortMapping.parse("127.0.0.1::80"),
            PortMapping.parse("5353/udp"));

    @TempDir
    Path tempDir;
    NetworkTestHost host;

    @AfterEach
    void tearDown() throws Exception {
        host.close();
    }

    @ParameterizedTest
    @EnumSource(value = FirewallChoice.class, names = {"IPTABLES", "NFTABLES"})
    void fiftyRunsWithPublishedPortsLeaveNoVethRuleOrLease(FirewallChoice firewall) throws Exception {
        host = new NetworkTestHost(tempDir, firewall);
        TestNamespace container = host.namespace();
        List<String> ids = new ArrayList<>();
        for (int run = 0; run < 50; run++) {
            ids.add("run" + run);
        }
        host.networking.attach(ContainerNetworkRequest.of("warmup", "warmup", container.path()));
        host.networking.detach("warmup");
        int networkRules = ownRules();
        assertEquals(NetworkTestHost.Leftovers.NONE, host.leftovers(ids));

        for (String id : ids) {
            NetworkAttachment attachment = host.networking.attach(ContainerNetworkRequest.of(id, id, container.path())
                    .withPorts(PORTS));
            assertEquals(new NetworkTestHost.Leftovers(1, 4, 1, 1), host.leftovers(List.of(id)),
                    "one veth, DNAT and FORWARD per port, one lease, one record while attached");
            assertEquals(host.subnet.gateway().plus(1), attachment.address(), "the released address is reused");
            assertTrue(host.networking.detach(id));
        }

        assertEquals(NetworkTestHost.Leftovers.NONE, host.leftovers(ids));
        assertEquals(networkRules, ownRules(), "only the network's own rules remain");
        assertFalse(container.exec("ip", "-o", "link").contains("eth0"));
    }

    @Test
    void detachAfterSigkillRemovesRulesAndLease() throws Exception {
        host = new NetworkTestHost(tempDir);
        TestNamespace container = host.namespace();
        host.networking.attach(ContainerNetworkRequest.of("killed", "killed", container.path()).withPorts(PORTS));

        container.kill();
        awaitGone(ContainerNetworking.hostEnd("killed"));

        assertEquals(new NetworkTestHost.Leftovers(0, 4, 1, 1), host.leftovers(List.of("killed")));
        assertTrue(host.networking.detach("killed"));
        assertEquals(NetworkTestHost.Leftovers.NONE, host.leftovers(List.of("killed")));
        assertFalse(host.networking.detach("killed"), "a second detach finds nothing");
    }

    @Test
    void detachEndingNamespaceLeavesTheVethToTheNamespaceWhichTakesItAlong() throws Exception {
        host = new NetworkTestHost(tempDir);
        TestNamespace container = host.namespace();
        host.networking.attach(ContainerNetworkRequest.of("ending", "ending", container.path()).withPorts(PORTS));

        assertTrue(host.networking.detachEndingNamespace("ending"));
        assertEquals(new NetworkTestHost.Leftovers(1, 0, 0, 0), host.leftovers(List.of("ending")),
                "rules, lease and record go at once; the veth stays while a process keeps the namespace");
        assertTrue(container.exec("ip", "-o", "link").contains("eth0"));

        container.kill();
        awaitGone(ContainerNetworking.hostEnd("ending"));
        assertEquals(NetworkTestHost.Leftovers.NONE, host.leftovers(List.of("ending")));
    }

    @ParameterizedTest
    @EnumSource(value = FirewallChoice.class, names = {"IPTABLES", "NFTABLES"})
    void pruneCleansUpAContainerKilledWithoutDetach(FirewallChoice firewall) throws Exception {
        host = new NetworkTestHost(tempDir, firewall);
        TestNamespace dead = host.namespace();
        TestNamespace alive = host.namespace();
        host.networking.attach(ContainerNetworkRequest.of("dead", "dead", dead.path()).withPorts(PORTS));
        host.networking.attach(ContainerNetworkRequest.of("alive", "alive", alive.path()).withPorts(PORTS));

        dead.kill();
        PruneReport report = host.networking.prune();

        assertEquals(new PruneReport(1, 4, 0, 0), report);
        assertEquals(NetworkTestHost.Leftovers.NONE, host.leftovers(List.of("dead")));
        assertEquals(new NetworkTestHost.Leftovers(1, 4, 1, 1), host.leftovers(List.of("alive")),
                "the living container keeps everything");
        assertFalse(host.networking.prune().removedAnything(), "a second prune finds nothing");
    }

    @ParameterizedTest
    @EnumSource(value = FirewallChoice.class, names = {"IPTABLES", "NFTABLES"})
    void pruneUndoesAnAttachWhoseCliWasKilledHalfway(FirewallChoice firewall) throws Exception {
        CommandRunner commands = spy(new CommandRunner());
        // An Error is not caught by attach's rollback, so the state is what a SIGKILLed CLI leaves.
        doAnswer(invocation -> {
            invocation.callRealMethod();
            throw new Error("simulated kill of the CLI");
        }).when(commands).run(anyList(), argThat(TeardownTest::addsPortRules));
        host = new NetworkTestHost(tempDir, commands, firewall);
        TestNamespace container = host.namespace();

        assertThrows(Error.class, () -> host.networking.attach(ContainerNetworkRequest.of("half", "half",
                container.path()).withPorts(PORTS)));
        assertEquals(new NetworkTestHost.Leftovers(1, 4, 1, 1), host.leftovers(List.of("half")));

        PruneReport report = host.networking.prune();

        assertEquals(new PruneReport(1, 4, 0, 0), report);
        assertEquals(NetworkTestHost.Leftovers.NONE, host.leftovers(List.of("half")));
        assertFalse(container.exec("ip", "-o", "link").contains("eth0"), "the veth went with its host end");
    }

    @ParameterizedTest
    @EnumSource(value = FirewallChoice.class, names = {"IPTABLES", "NFTABLES"})
    void pruneRemovesRulesLeasesAndVethsThatNoRecordOwns(FirewallChoice firewall) throws Exception {
        host = new NetworkTestHost(tempDir, firewall);
        TestNamespace container = host.namespace();
        host.networking.attach(ContainerNetworkRequest.of("lost", "lost", container.path()).withPorts(PORTS));
        Files.delete(host.stateDir.resolve("attachments/lost.json"));

        PruneReport report = host.networking.prune();

        assertEquals(new PruneReport(0, 4, 1, 1), report);
        assertEquals(NetworkTestHost.Leftovers.NONE, host.leftovers(List.of("lost")));
    }

    @Test
    void failedAttachRollsBackEverythingItDid() throws Exception {
        CommandRunner commands = spy(new CommandRunner());
        doAnswer(invocation -> {
            throw new NetworkException("injected iptables failure");
        }).when(commands).run(anyList(), argThat(TeardownTest::addsPortRules));
        host = new NetworkTestHost(tempDir, commands, FirewallChoice.AUTO);
        TestNamespace container = host.namespace();

        NetworkException error = assertThrows(NetworkException.class, () -> host.networking.attach(
                ContainerNetworkRequest.of("rollback", "rollback", container.path()).withPorts(PORTS)));

        assertEquals("cannot attach container rollback to network 'bridge': injected iptables failure",
                error.getMessage());
        assertEquals(NetworkTestHost.Leftovers.NONE, host.leftovers(List.of("rollback")));
        assertFalse(container.exec("ip", "-o", "link").contains("eth0"));
    }

    @ParameterizedTest
    @EnumSource(value = FirewallChoice.class, names = {"IPTABLES", "NFTABLES"})
    void failedNetworkRulesRollBackTheLinksMadeAtTheSameTime(FirewallChoice firewall) throws Exception {
        CommandRunner commands = spy(new CommandRunner());
        doAnswer(invocation -> {
            throw new NetworkException("injected firewall failure");
        }).when(commands).run(anyList(), argThat(TeardownTest::addsNetworkRules));
        host = new NetworkTestHost(tempDir, commands, firewall);
        TestNamespace container = host.namespace();

        NetworkException error = assertThrows(NetworkException.class, () -> host.networking.attach(
                ContainerNetworkRequest.of("norules", "norules", container.path())));

        assertEquals("cannot attach container norules to network 'bridge': injected firewall failure",
                error.getMessage());
        assertEquals(NetworkTestHost.Leftovers.NONE, host.leftovers(List.of("norules")));
        assertFalse(container.exec("ip", "-o", "link").contains("eth0"), "the veth made meanwhile is gone");
    }

    /** The iptables-restore or nft input that adds a network's MASQUERADE rules. */
    private static boolean addsNetworkRules(String stdin) {
        return stdin != null && stdin.lines().anyMatch(line -> line.startsWith("-A ") && line.contains("-j MASQUERADE")
                || line.startsWith("add rule ") && line.contains(" masquerade"));
    }

    /** The iptables-restore or nft input that adds a container's DNAT rules (not the one that deletes them). */
    private static boolean addsPortRules(String stdin) {
        return stdin != null && stdin.lines().anyMatch(line -> line.startsWith("-A ") && line.contains("-j DNAT")
                || line.startsWith("add rule ") && line.contains(" dnat to "));
    }

    private int ownRules() {
        return host.ownRules().size();
    }

    private static void awaitGone(String link) throws InterruptedException {
        for (int i = 0; i < 200 && Files.exists(Path.of("/sys/class/net", link)); i++) {
            Thread.sleep(10);
        }
        assertFalse(Files.exists(Path.of("/sys/class/net", link)), link + " disappeared with its namespace");
    }
}
