package dev.nvjrun.nvml.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The pages rendered from hand-made records. The golden files are what nvidia-docker 1.0's own
 * templates (remote_v1.go) print through Go's text/template and tabwriter for the same values.
 */
class PagesTest {
    static GpuInfo twoGpuInfo() {
        GpuInfo.Device full = new GpuInfo.Device("GPU-aaaa", "/dev/nvidia0", "NVIDIA A100-SXM4-80GB", 400, 0,
                new GpuInfo.Pci("00000000:01:00.0", 131072L, 31504),
                new GpuInfo.Clocks(1410, 1593),
                List.of(new GpuInfo.P2PLink("00000000:02:00.0", 3)),
                "Ampere", "8.0", 6912,
                new GpuInfo.Memory(true, 81920L, null, null, null, 2039040L), null);
        GpuInfo.Device bare = new GpuInfo.Device("GPU-bbbb", "/dev/nvidia1", null, null, null,
                new GpuInfo.Pci("00000000:02:00.0", null, null), new GpuInfo.Clocks(null, null), List.of(),
                null, null, null, new GpuInfo.Memory(null, null, null, null, null, null), null);
        return new GpuInfo(new GpuInfo.Version("550.54.15", "12.4"), List.of(full, bare));
    }

    static GpuStatus twoGpuStatus() {
        GpuStatus.Device busy = new GpuStatus.Device(61, 34,
                new GpuStatus.UtilizationPercent(12, 3, 0, 0),
                new GpuStatus.Memory(1024L, new GpuStatus.EccErrors(null, null, 0L)),
                new GpuStatus.Clocks(1410, 1593),
                new GpuStatus.Pci(2L, new GpuStatus.Throughput(5, 7)),
                List.of(new GpuStatus.Process(4242, "python3", 1000L), new GpuStatus.Process(4243, "/usr/bin/trainer", 24L)),
                new GpuStatus.Limits(400, 81920L, 131072L));
        GpuStatus.Device idle = new GpuStatus.Device(null, null,
                new GpuStatus.UtilizationPercent(null, null, null, null),
                new GpuStatus.Memory(null, new GpuStatus.EccErrors(null, null, null)),
                new GpuStatus.Clocks(null, null),
                new GpuStatus.Pci(null, new GpuStatus.Throughput(null, null)),
                List.of(), new GpuStatus.Limits(null, null, null));
        return new GpuStatus(List.of(busy, idle));
    }

    static String golden(String name) throws IOException {
        try (InputStream in = PagesTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void infoTextMatchesNvidiaDocker10Layout() throws IOException {
        assertEquals(golden("info-two-gpus.txt"), twoGpuInfo().toText());
    }

    @Test
    void statusTextMatchesNvidiaDocker10Layout() throws IOException {
        assertEquals(golden("status-two-gpus.txt"), twoGpuStatus().toText());
    }

    @Test
    void infoJsonUsesNvidiaDocker10FieldNamesAndNullsForUnknowns() throws IOException {
        JsonNode json = new ObjectMapper().readTree(twoGpuInfo().toJson());
        assertEquals("550.54.15", json.at("/Version/Driver").asText());
        assertEquals("12.4", json.at("/Version/CUDA").asText());
        JsonNode first = json.at("/Devices/0");
        assertEquals("GPU-aaaa", first.get("UUID").asText());
        assertEquals("/dev/nvidia0", first.get("Path").asText());
        assertEquals("NVIDIA A100-SXM4-80GB", first.get("Model").asText());
        assertEquals(400, first.get("Power").asInt());
        assertEquals(0, first.get("CPUAffinity").asInt());
        assertEquals("00000000:01:00.0", first.at("/PCI/BusID").asText());
        assertEquals(131072, first.at("/PCI/BAR1").asLong());
        assertEquals(31504, first.at("/PCI/Bandwidth").asInt());
        assertEquals(1410, first.at("/Clocks/Cores").asInt());
        assertEquals(1593, first.at("/Clocks/Memory").asInt());
        assertEquals("00000000:02:00.0", first.at("/Topology/0/BusID").asText());
        assertEquals(3, first.at("/Topology/0/Link").asInt());
        assertEquals("Ampere", first.get("Family").asText());
        assertEquals("8.0", first.get("Arch").asText());
        assertEquals(6912, first.get("Cores").asInt());
        assertTrue(first.at("/Memory/ECC").asBoolean());
        assertEquals(81920, first.at("/Memory/Global").asLong());
        assertTrue(first.at("/Memory/Shared").isNull());
        assertTrue(first.at("/Memory/Constant").isNull());
        assertTrue(first.at("/Memory/L2Cache").isNull());
        assertEquals(2039040, first.at("/Memory/Bandwidth").asLong());
        assertFalse(first.has("MIG"), "MIG is left out when MIG is off");
        JsonNode second = json.at("/Devices/1");
        assertTrue(second.get("Model").isNull());
        assertTrue(second.get("Power").isNull());
        assertTrue(second.at("/PCI/BAR1").isNull());
        assertEquals(List.of("UUID", "Path", "Model", "Power", "CPUAffinity", "PCI", "Clocks", "Topology",
                "Family", "Arch", "Cores", "Memory"), fieldNames(second));
    }

    @Test
    void statusJsonUsesNvidiaDocker10FieldNamesAndHidesTheTotals() throws IOException {
        JsonNode json = new ObjectMapper().readTree(twoGpuStatus().toJson());
        JsonNode busy = json.at("/Devices/0");
        assertEquals(List.of("Power", "Temperature", "Utilization", "Memory", "Clocks", "PCI", "Processes"),
                fieldNames(busy));
        assertEquals(61, busy.get("Power").asInt());
        assertEquals(34, busy.get("Temperature").asInt());
        assertEquals(12, busy.at("/Utilization/GPU").asInt());
        assertEquals(3, busy.at("/Utilization/Memory").asInt());
        assertEquals(0, busy.at("/Utilization/Encoder").asInt());
        assertEquals(1024, busy.at("/Memory/GlobalUsed").asLong());
        assertTrue(busy.at("/Memory/ECCErrors/L1Cache").isNull());
        assertEquals(0, busy.at("/Memory/ECCErrors/Global").asLong());
        assertEquals(2, busy.at("/PCI/BAR1Used").asLong());
        assertEquals(5, busy.at("/PCI/Throughput/RX").asInt());
        assertEquals(7, busy.at("/PCI/Throughput/TX").asInt());
        assertEquals(1410, busy.at("/Clocks/Cores").asInt());
        assertEquals(4242, busy.at("/Processes/0/PID").asLong());
        assertEquals("python3", busy.at("/Processes/0/Name").asText());
        assertEquals(1000, busy.at("/Processes/0/MemoryUsed").asLong());
        assertTrue(json.at("/Devices/1/Power").isNull());
        assertEquals(0, json.at("/Devices/1/Processes").size());
    }

    @Test
    void jsonReadsBackToTheSameRecords() {
        GpuInfo info = twoGpuInfo();
        assertEquals(info, GpuInfo.fromJson(info.toJson()));
        GpuStatus parsed = GpuStatus.fromJson(twoGpuStatus().toJson());
        assertEquals(twoGpuStatus().devices().get(0).processes(), parsed.devices().get(0).processes());
        assertNull(parsed.devices().get(0).limits(), "totals are not part of 1.0's JSON");
    }

    @Test
    void refusesMalformedJsonWithAClearMessage() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GpuInfo.fromJson("{\"Devices\": 3"));
        assertTrue(e.getMessage().startsWith("not a valid GpuInfo document"), e.getMessage());
    }

    @Test
    void unknownProcessListIsNotPrintedAsNone() {
        GpuStatus.Device unknown = new GpuStatus.Device(null, null,
                new GpuStatus.UtilizationPercent(null, null, null, null),
                new GpuStatus.Memory(null, new GpuStatus.EccErrors(null, null, null)), new GpuStatus.Clocks(null, null),
                new GpuStatus.Pci(null, new GpuStatus.Throughput(null, null)), null, null);
        assertTrue(new GpuStatus(List.of(unknown)).toText().contains("  Processes:  N/A\n"));
    }

    @Test
    void migDevicesFollowTheP2PSectionWithoutShiftingIt() {
        GpuInfo plain = twoGpuInfo();
        GpuInfo.Device d = plain.devices().get(1);
        GpuInfo.Device withMig = new GpuInfo.Device(d.uuid(), d.path(), d.model(), d.power(), d.cpuAffinity(), d.pci(),
                d.clocks(), d.topology(), d.family(), d.arch(), d.cores(), d.memory(),
                List.of(new GpuInfo.MigDevice("MIG-1111", 1, 0, 9856L)));
        String text = new GpuInfo(plain.version(), List.of(withMig)).toText();
        assertTrue(text.endsWith("""
                    Cores:        N/A
                    Memory:       N/A
                  P2P Available:  None
                  MIG Devices
                    MIG 0:  MIG-1111 (GPU instance 1, compute instance 0, 9856 MiB)

                """), text);
    }

    @Test
    void noGpusGiveTheHeaderOnly() {
        assertEquals("\nDriver version:          550.54.15\nSupported CUDA version:  12.4\n\n",
                new GpuInfo(new GpuInfo.Version("550.54.15", "12.4"), List.of()).toText());
        assertEquals("\n", new GpuStatus(List.of()).toText());
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
