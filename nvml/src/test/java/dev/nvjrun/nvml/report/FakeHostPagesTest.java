package dev.nvjrun.nvml.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nvjrun.fakegpu.FakeGpuHost;
import dev.nvjrun.fakegpu.Failure;
import dev.nvjrun.fakegpu.HostSpec;
import dev.nvjrun.nvml.Nvml;
import dev.nvjrun.nvml.NvmlException;
import dev.nvjrun.nvml.NvmlSession;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The /gpu/info and /gpu/status pages gathered from the default 2-GPU simulated host. */
class FakeHostPagesTest {
    private static final long MIB = 1024 * 1024;

    @TempDir
    Path dir;

    private static String golden(String name) throws IOException {
        try (InputStream in = FakeHostPagesTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void infoPageOfTwoGpuHostMatchesGolden() throws IOException {
        FakeGpuHost host = FakeGpuHost.create(dir, HostSpec.defaults());
        try (NvmlSession nvml = Nvml.open(host.nvmlLibrary())) {
            assertEquals(golden("fakehost-info.txt"), GpuInfo.gather(nvml).toText());
        }
    }

    @Test
    void statusPageOfTwoGpuHostMatchesGolden() throws IOException {
        FakeGpuHost host = FakeGpuHost.create(dir, HostSpec.defaults());
        try (NvmlSession nvml = Nvml.open(host.nvmlLibrary())) {
            assertEquals(golden("fakehost-status.txt"), GpuStatus.gather(nvml).toText());
        }
    }

    @Test
    void infoJsonCarriesTheHostsValues() throws IOException {
        FakeGpuHost host = FakeGpuHost.create(dir, HostSpec.defaults());
        JsonNode config = new ObjectMapper().readTree(host.configFile().toFile());
        String json;
        try (NvmlSession nvml = Nvml.open(host.nvmlLibrary())) {
            json = GpuInfo.gather(nvml).toJson();
        }
        JsonNode page = new ObjectMapper().readTree(json);
        assertEquals("550.54.15", page.at("/Version/Driver").asText());
        assertEquals("12.4", page.at("/Version/CUDA").asText());
        assertEquals(2, page.get("Devices").size());
        for (int i = 0; i < 2; i++) {
            JsonNode device = page.get("Devices").get(i);
            JsonNode gpu = config.get("gpus").get(i);
            assertEquals(host.gpus().get(i).uuid(), device.get("UUID").asText());
            assertEquals("/dev/nvidia" + host.gpus().get(i).minor(), device.get("Path").asText());
            assertEquals(host.gpus().get(i).name(), device.get("Model").asText());
            assertEquals(host.gpus().get(i).pciBusId(), device.at("/PCI/BusID").asText());
            assertEquals(gpu.get("powerLimit").asLong() / 1000, device.get("Power").asLong());
            assertEquals(gpu.at("/memory/total").asLong() / MIB, device.at("/Memory/Global").asLong());
            assertEquals(gpu.at("/bar1/total").asLong() / MIB, device.at("/PCI/BAR1").asLong());
            assertEquals(gpu.at("/maxClocks/sm").asInt(), device.at("/Clocks/Cores").asInt());
            assertEquals(gpu.at("/maxClocks/mem").asInt(), device.at("/Clocks/Memory").asInt());
            assertEquals(2L * gpu.at("/maxClocks/mem").asLong() * gpu.get("memoryBusWidth").asLong() / 8,
                    device.at("/Memory/Bandwidth").asLong());
            assertEquals(gpu.get("cores").asInt(), device.get("Cores").asInt());
            assertTrue(device.at("/Memory/L2Cache").isNull());
        }
        GpuInfo parsed = GpuInfo.fromJson(json);
        assertEquals(host.gpus().get(1).uuid(), parsed.devices().get(1).uuid());
    }

    @Test
    void statusJsonCarriesTheHostsLiveValues() throws IOException {
        FakeGpuHost host = FakeGpuHost.create(dir, HostSpec.defaults());
        JsonNode config = new ObjectMapper().readTree(host.configFile().toFile());
        JsonNode page;
        try (NvmlSession nvml = Nvml.open(host.nvmlLibrary())) {
            page = new ObjectMapper().readTree(GpuStatus.gather(nvml).toJson());
        }
        for (int i = 0; i < 2; i++) {
            JsonNode device = page.get("Devices").get(i);
            JsonNode gpu = config.get("gpus").get(i);
            assertEquals(gpu.get("powerUsage").asLong() / 1000, device.get("Power").asLong());
            assertEquals(gpu.get("temperature").asInt(), device.get("Temperature").asInt());
            assertEquals(gpu.at("/utilization/gpu").asInt(), device.at("/Utilization/GPU").asInt());
            assertEquals(gpu.at("/memory/used").asLong() / MIB, device.at("/Memory/GlobalUsed").asLong());
            assertEquals(gpu.at("/clocks/sm").asInt(), device.at("/Clocks/Cores").asInt());
            assertEquals(gpu.at("/pcie/rxKBps").asLong() / 1000, device.at("/PCI/Throughput/RX").asLong());
            JsonNode processes = gpu.path("processes");
            assertEquals(processes.size(), device.get("Processes").size());
            for (int p = 0; p < processes.size(); p++) {
                assertEquals(processes.get(p).get("pid").asLong(), device.at("/Processes/" + p + "/PID").asLong());
                assertEquals(processes.get(p).get("name").asText(), device.at("/Processes/" + p + "/Name").asText());
            }
        }
    }

    @Test
    void legacyDriverPagesShowNotAvailableInsteadOfFailing() throws IOException {
        FakeGpuHost host = FakeGpuHost.create(dir, HostSpec.defaults().withLegacyDriver(true));
        try (NvmlSession nvml = Nvml.open(host.nvmlLibrary())) {
            String info = GpuInfo.gather(nvml).toText();
            String status = GpuStatus.gather(nvml).toText();
            assertTrue(info.contains("  Cores:         N/A\n"), info);
            assertTrue(status.contains("  Processes:  N/A\n"), status);
        }
    }

    @Test
    void lostGpuStopsTheInfoPageWithNvmlsMessage() throws IOException {
        FakeGpuHost host = FakeGpuHost.create(dir, HostSpec.defaults());
        host.injectFailure(new Failure.GpuLost(1));
        try (NvmlSession nvml = Nvml.open(host.nvmlLibrary())) {
            NvmlException e = assertThrows(NvmlException.class, () -> GpuInfo.gather(nvml));
            assertTrue(e.isGpuLost());
            assertTrue(e.getMessage().endsWith("failed: GPU is lost"), e.getMessage());
        }
    }

    @Test
    void infoListsMigDevicesWhenMigIsOn() throws IOException {
        FakeGpuHost host = FakeGpuHost.create(dir, HostSpec.defaults().withMig(true));
        JsonNode migs = new ObjectMapper().readTree(host.configFile().toFile()).at("/gpus/0/mig/devices");
        GpuInfo info;
        try (NvmlSession nvml = Nvml.open(host.nvmlLibrary())) {
            info = GpuInfo.gather(nvml);
        }
        assertTrue(migs.size() > 0);
        assertEquals(migs.size(), info.devices().get(0).mig().size());
        assertEquals(migs.get(0).get("uuid").asText(), info.devices().get(0).mig().get(0).uuid());
        assertTrue(info.toText().contains("  MIG Devices\n    MIG 0:  " + migs.get(0).get("uuid").asText()), info.toText());
        JsonNode json = new ObjectMapper().readTree(info.toJson());
        assertEquals(migs.get(0).get("gpuInstanceId").asInt(), json.at("/Devices/0/MIG/0/GPUInstance").asInt());
    }
}
