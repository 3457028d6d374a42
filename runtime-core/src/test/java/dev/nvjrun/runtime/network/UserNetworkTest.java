package dev.nvjrun.runtime.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nvjrun.runtime.network.address.Subnet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** User-defined networks ({@code nvjrun network ...}) and name resolution between their containers; run as root. */
class UserNetworkTest {
    @TempDir
    Path tempDir;
    NetworkTestHost host;
    Subnet subnet;

    @BeforeEach
    void setUp() throws Exception {
        host = new NetworkTestHost(tempDir);
        subnet = new Subnet(host.subnet.network().plus(1L << 16), 24);
    }

    @AfterEach
    void tearDown() throws Exception {
        host.close();
    }

    @Test
    void containersOnAUserNetworkReachEachOtherByName() throws Exception {
        host.networking.networks().create("backend", Optional.of(subnet));
        TestNamespace db = host.namespace();
        TestNamespace app = host.namespace();
        Path dbHosts = Files.createFile(tempDir.resolve("db-hosts"));
        Path appHosts = Files.createFile(tempDir.resolve("app-hosts"));

        NetworkAttachment dbAttachment = host.networking.attach(ContainerNetworkRequest.of("db1", "db", db.path())
                .withNetwork("backend").withHostsFile(dbHosts));
        NetworkAttachment appAttachment = host.networking.attach(ContainerNetworkRequest.of("app1", "app", app.path())
                .withNetwork("backend").withHostsFile(appHosts));

        assertTrue(Files.readString(appHosts).contains(dbAttachment.address() + "\tdb\n"), Files.readString(appHosts));
        assertTrue(Files.readString(dbHosts).contains(appAttachment.address() + "\tapp\n"),
                "the earlier container's hosts file was refreshed: " + Files.readString(dbHosts));
        host.serveHttp(db, tempDir.resolve("www"), "rows\n");
        // The runtime bind-mounts the hosts file as /etc/hosts; do the same in a private mount namespace.
        // glibc's getent resolves the name, as any dynamically linked program in the container would.
        String fetched = app.exec("unshare", "--mount", "sh", "-c", "mount --bind " + appHosts + " /etc/hosts"
                + " && set -- $(getent hosts db) && echo \"$1\" && busybox wget -q -O - http://$1/");
        assertEquals(dbAttachment.address() + "\nrows\n", fetched);
    }

    @Test
    void detachingAPeerRemovesItsNameFromTheOthers() throws Exception {
        host.networking.networks().create("pair", Optional.of(subnet));
        Path firstHosts = Files.createFile(tempDir.resolve("first-hosts"));
        host.networking.attach(ContainerNetworkRequest.of("f1", "first", host.namespace().path()).withNetwork("pair")
                .withHostsFile(firstHosts));
        host.networking.attach(ContainerNetworkRequest.of("s1", "second", host.namespace().path()).withNetwork("pair"));
        assertTrue(Files.readString(firstHosts).contains("\tsecond\n"));

        assertTrue(host.networking.detach("s1"));

        assertFalse(Files.readString(firstHosts).contains("second"), Files.readString(firstHosts));
        assertFalse(host.networking.attachment("first").orElseThrow().hosts().contains("second"));
    }

    @Test
    void listsInspectsAndRemovesNetworks() throws Exception {
        NetworkDefinition created = host.networking.networks().create("tools", Optional.of(subnet));
        host.networking.attach(ContainerNetworkRequest.of("t1", "tool", host.namespace().path()).withNetwork("tools"));

        assertEquals(List.of("bridge", "tools"),
                host.networking.networks().list().stream().map(NetworkDefinition::name).toList());
        NetworkInspection inspection = host.networking.networks().inspect("tools");
        assertEquals(List.of("tool"), inspection.containers().stream().map(NetworkAttachment::name).toList());
        NetworkException inUse = assertThrows(NetworkException.class, () -> host.networking.networks().remove("tools"));
        assertEquals("network 'tools' is in use by 1 container(s) (tool); stop or disconnect them first",
                inUse.getMessage());
        assertTrue(Files.exists(Path.of("/sys/class/net", created.bridge())));

        host.networking.detach("t1");
        host.networking.networks().remove("tools");

        assertFalse(Files.exists(Path.of("/sys/class/net", created.bridge())), "the bridge is gone");
        assertTrue(host.networking.networks().list().stream().noneMatch(n -> n.name().equals("tools")));
        String rules = String.join("\n", new dev.nvjrun.runtime.network.host.CommandRunner()
                .run(List.of("iptables-save")).stdout());
        assertFalse(rules.contains("nvjrun-net:" + created.bridge()), "the network's own rules are gone");
    }

    @Test
    void refusesBadNamesDuplicatesOverlapsAndTheDefaultNetwork() {
        NetworkStore networks = host.networking.networks();
        networks.create("dup", Optional.of(subnet));

        assertEquals("network 'dup' already exists; choose another name or remove it with `nvjrun network rm dup`",
                assertThrows(NetworkException.class, () -> networks.create("dup", Optional.empty())).getMessage());
        assertTrue(assertThrows(NetworkException.class, () -> networks.create("other", Optional.of(subnet)))
                .getMessage().startsWith("subnet " + subnet + " overlaps network 'dup'"));
        assertTrue(assertThrows(NetworkException.class, () -> networks.create("../x", Optional.empty()))
                .getMessage().startsWith("invalid network name '../x'"));
        assertEquals("network name 'host' is reserved; choose another name",
                assertThrows(NetworkException.class, () -> networks.create("host", Optional.empty())).getMessage());
        assertEquals("network 'bridge' is the default network and cannot be removed; remove user-defined networks only",
                assertThrows(NetworkException.class, () -> networks.remove("bridge")).getMessage());
        assertTrue(assertThrows(NetworkException.class, () -> networks.inspect("nope")).getMessage()
                .startsWith("network 'nope' not found"));
        assertEquals(List.of("bridge", "dup"), networks.list().stream().map(NetworkDefinition::name).toList());
    }

    @Test
    void refusesASubnetTheHostRoutesElsewhere() throws Exception {
        String hostRoute = new dev.nvjrun.runtime.network.host.CommandRunner()
                .run(List.of("ip", "-4", "route", "show", "scope", "link")).stdout().lines()
                .map(line -> line.split("\\s+")[0]).filter(d -> d.contains("/")).findFirst().orElseThrow();

        NetworkException error = assertThrows(NetworkException.class,
                () -> host.networking.networks().create("clash", Optional.of(Subnet.parse(hostRoute))));

        assertTrue(error.getMessage().contains("overlaps the host route to " + hostRoute), error.getMessage());
    }

    @Test
    void chosenSubnetsAvoidEachOther() {
        NetworkDefinition first = host.networking.networks().create("auto1", Optional.empty());
        NetworkDefinition second = host.networking.networks().create("auto2", Optional.empty());

        assertFalse(first.subnet().overlaps(second.subnet()), first.subnet() + " vs " + second.subnet());
        assertFalse(first.subnet().overlaps(host.subnet));
    }
}
