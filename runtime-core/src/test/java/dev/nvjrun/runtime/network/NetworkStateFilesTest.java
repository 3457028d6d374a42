package dev.nvjrun.runtime.network;

import dev.nvjrun.runtime.json.EverythingState;
import dev.nvjrun.runtime.json.JsonDocument;
import dev.nvjrun.runtime.network.address.AddressAllocator;
import dev.nvjrun.runtime.network.address.Ipv4Address;
import dev.nvjrun.runtime.network.address.Subnet;
import dev.nvjrun.runtime.network.dns.HostEntry;
import dev.nvjrun.runtime.network.port.PortMapping;
import dev.nvjrun.runtime.network.port.Protocol;
import dev.nvjrun.runtime.network.state.JsonFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The default bridge network's state files (attachment records, the network definition, leases) read
 * as the data-binding version wrote them and are written back the same, byte for byte.
 */
class NetworkStateFilesTest {
    @TempDir
    Path dir;

    static AttachmentRecord everything() {
        NetworkAttachment attachment = new NetworkAttachment("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
                "everything", "bridge", "nvjrun0", "eth0", Ipv4Address.parse("10.88.0.7"), 16, Ipv4Address.parse("10.88.0.1"), 1400,
                List.of(new PortMapping("127.0.0.1", 8080, 80, Protocol.TCP), new PortMapping("", 5353, 53, Protocol.UDP)),
                "box-host", "127.0.0.1\tlocalhost\n10.88.0.7\tbox-host\n", "nameserver 10.0.0.2\n", "/proc/4243/ns/net");
        return new AttachmentRecord(AttachmentRecord.Phase.ATTACHED, attachment, 4026532999L, "veth1a2b3c",
                "/var/lib/nvjrun/containers/x/etc/hosts",
                List.of(new HostEntry("10.0.0.5", "db"), new HostEntry("host-gateway", "host.docker.internal")));
    }

    @Test
    void attachmentRecordsRoundTripInTheShapeDataBindingWrote() throws Exception {
        JsonDocument<AttachmentRecord> doc = JsonFile.document(AttachmentRecord.class);
        AttachmentRecord record = everything();
        EverythingState.assertEveryComponentSet(record, "attachment");
        byte[] old = EverythingState.fixture("attachment.json");
        assertEquals(record, doc.read(old));
        assertEquals(new String(old, StandardCharsets.UTF_8), new String(doc.write(record), StandardCharsets.UTF_8));
    }

    @Test
    void networkDefinitionAndLeasesRoundTripInTheShapeDataBindingWrote() throws Exception {
        JsonDocument<NetworkDefinition> doc = JsonFile.document(NetworkDefinition.class);
        byte[] old = EverythingState.fixture("network.json");
        NetworkDefinition network = doc.read(old);
        assertEquals(new NetworkDefinition("bridge", "nvjrun0", Subnet.parse("10.88.0.0/16"), false, "2026-11-22T03:59:00Z"), network);
        assertEquals(new String(old, StandardCharsets.UTF_8), new String(doc.write(network), StandardCharsets.UTF_8));

        Path leases = dir.resolve("leases.json");
        Files.write(leases, EverythingState.fixture("leases.json"));
        AddressAllocator allocator = new AddressAllocator(leases, Subnet.parse("10.88.0.0/16"));
        assertEquals(Map.of("0123456789ab", Ipv4Address.parse("10.88.0.2"), "fedcba987654", Ipv4Address.parse("10.88.0.3")),
                allocator.leases());
        assertEquals(Ipv4Address.parse("10.88.0.4"), allocator.allocate("new"));
        assertTrue(allocator.release("0123456789ab"));
        assertTrue(allocator.release("new"));
        assertEquals("{\n  \"fedcba987654\" : \"10.88.0.3\"\n}", Files.readString(leases));
    }

    @Test
    void aCorruptStateFileIsOneSentenceNamingIt() throws Exception {
        Path file = dir.resolve("attachments").resolve("x.json");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "{\"phase\":\"ATTACHED\",\"attachment\":{\"address\":\"10.88.0.300\"");
        NetworkException e = assertThrows(NetworkException.class, () -> new AttachmentStore(dir).find("x"));
        assertEquals("state file " + file + " is unreadable (field attachment.address: invalid IPv4 address '10.88.0.300':"
                + " expected four numbers from 0 to 255 separated by dots, such as 10.88.0.2 (line 1, column 45));"
                + " remove it and run `nvjrun system prune`", e.getMessage());
    }
}
