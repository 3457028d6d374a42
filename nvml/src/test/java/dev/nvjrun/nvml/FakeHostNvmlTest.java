package dev.nvjrun.nvml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nvjrun.fakegpu.FakeGpu;
import dev.nvjrun.fakegpu.FakeGpuHost;
import dev.nvjrun.fakegpu.Failure;
import dev.nvjrun.fakegpu.HostSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bindings against the simulated host's mock libnvidia-ml, through the real JNA path. */
class FakeHostNvmlTest {
    @TempDir
    Path dir;

    private FakeGpuHost host(HostSpec spec) throws IOException {
        return FakeGpuHost.create(dir.resolve("host"), spec);
    }

    private static JsonNode config(FakeGpuHost host) throws IOException {
        return new ObjectMapper().readTree(host.configFile().toFile());
    }

    @Test
    void reportsDriverCudaAndNvmlVersionsOfTheHost() throws IOException {
        FakeGpuHost host = host(HostSpec.defaults().withDriverVersion("535.104.05").withCudaVersion("12.2"));
        try (NvmlSession nvml = Nvml.open(host.nvmlLibrary())) {
            assertEquals("535.104.05", nvml.driverVersion());
            assertEquals(Optional.of(new CudaVersion(12, 2)), nvml.cudaDriverVersion());
            assertEquals(config(host).path("nvmlVersion").asText(null), nvml.nvmlVersion().orElse(null));
        }
    }

    @Test
    void deviceValuesMatchGpusJson() throws IOException {
        FakeGpuHost host = host(HostSpec.defaults().withGpus(3));
        JsonNode gpus = config(host).get("gpus");
        try (NvmlSession nvml = Nvml.open(host.nvmlLibrary())) {
            assertEquals(3, nvml.deviceCount());
            for (int i = 0; i < 3; i++) {
                NvmlDevice gpu = nvml.device(i);
                JsonNode json = gpus.get(i);
                FakeGpu fake = host.gpus().get(i);
                assertEquals(Optional.of(fake.uuid()), gpu.uuid());
                assertEquals(Optional.of(json.get("uuid").asText()), gpu.uuid());
                assertEquals(Optional.of(fake.name()), gpu.name());
                assertEquals(OptionalInt.of(fake.minor()), gpu.minorNumber());
                assertEquals(OptionalInt.of(i), gpu.index());
                PciInfo pci = gpu.pciInfo().orElseThrow();
                assertEquals(fake.pciBusId(), pci.busId());
                assertEquals(json.at("/pci/bus").asInt(), pci.bus());
                assertEquals(String.format("%04X:%02X:%02X.0", pci.domain(), pci.bus(), pci.device()), pci.busIdLegacy());
                MemoryUsage memory = gpu.memory().orElseThrow();
                assertEquals(json.at("/memory/total").asLong(), memory.total());
                assertEquals(json.at("/memory/used").asLong(), memory.used());
                assertEquals(json.at("/bar1/total").asLong(), gpu.bar1Memory().orElseThrow().total());
                assertEquals(json.get("powerLimit").asInt(), gpu.powerLimitMilliwatts().orElseThrow());
                assertEquals(json.get("cores").asInt(), gpu.gpuCores().orElseThrow());
                assertEquals(json.get("memoryBusWidth").asInt(), gpu.memoryBusWidth().orElseThrow());
                assertEquals(json.at("/maxClocks/sm").asInt(), gpu.maxClock(ClockType.SM).orElseThrow());
                assertEquals(json.at("/clocks/mem").asInt(), gpu.clock(ClockType.MEMORY).orElseThrow());
                assertEquals(new ComputeCapability(json.at("/computeCapability/major").asInt(),
                        json.at("/computeCapability/minor").asInt()), gpu.computeCapability().orElseThrow());
                assertEquals(Architecture.of(json.get("architecture").asInt()), gpu.architecture().orElseThrow());
            }
        }
    }

    @Test
    void findsDevicesByUuidAndByEitherBusIdForm() throws IOException {
        FakeGpuHost host = host(HostSpec.defaults());
        FakeGpu second = host.gpus().get(1);
        try (NvmlSession nvml = Nvml.open(host.nvmlLibrary())) {
            assertEquals(nvml.device(1), nvml.deviceByUuid(second.uuid()).orElseThrow());
            assertEquals(nvml.device(1), nvml.deviceByPciBusId(second.pciBusId()).orElseThrow());
            String legacy = second.pciBusId().substring(4); // "0000:02:00.0"
            assertEquals(OptionalInt.of(1), nvml.deviceByPciBusId(legacy).orElseThrow().index());
            assertEquals(Optional.empty(), nvml.deviceByUuid("GPU-00000000-0000-0000-0000-000000000000"));
            assertEquals(Optional.empty(), nvml.deviceByPciBusId("00000000:7F:00.0"));
        }
    }

    @Test
    void notSupportedIsAbsentNotAFailure() throws IOException {
        FakeGpuHost host = host(HostSpec.defaults());
        host.injectFailure(new Failure.NotSupported("nvmlDeviceGetPowerUsage"));
        try (NvmlSession nvml = Nvml.open(host.nvmlLibrary())) {
            assertEquals(OptionalInt.empty(), nvml.device(0).powerUsageMilliwatts());
            assertTrue(nvml.device(0).powerLimitMilliwatts().isPresent(), "only the injected call is unsupported");
        }
    }

    @Test
    void legacyDriverLacksSymbolsButStillAnswers() throws IOException {
        FakeGpuHost host = host(HostSpec.defaults().withLegacyDriver(true));
        try (NvmlSession nvml = Nvml.open(host.nvmlLibrary())) {
            NvmlDevice gpu = nvml.device(0);
            assertEquals(OptionalInt.empty(), gpu.gpuCores());
            assertEquals(OptionalInt.empty(), gpu.memoryBusWidth());
            assertEquals(Optional.empty(), gpu.computeProcesses(nvml));
            assertEquals(Optional.empty(), gpu.migMode());
            assertEquals(List.of(), gpu.migDevices());
            assertTrue(nvml.cudaDriverVersion().isPresent(), "falls back to nvmlSystemGetCudaDriverVersion");
            assertEquals(Optional.of(host.gpus().get(0).uuid()), gpu.uuid());
        }
    }

    @Test
    void injectedInitFailureCarriesNvmlsMessage() throws IOException {
        FakeGpuHost host = host(HostSpec.defaults());
        host.injectFailure(new Failure.InitFails(NvmlReturn.ERROR_LIB_RM_VERSION_MISMATCH.code()));
        NvmlException e = assertThrows(NvmlException.class, () -> Nvml.open(host.nvmlLibrary()));
        assertEquals(NvmlReturn.ERROR_LIB_RM_VERSION_MISMATCH, e.result());
        assertTrue(e.getMessage().startsWith("nvmlInit_v2 failed: RM has detected an NVML/RM version mismatch."),
                e.getMessage());
        assertTrue(e.getMessage().contains(host.nvmlLibrary().toString()), e.getMessage());
    }

    @Test
    void driverNotLoadedSaysToLoadTheModule() throws IOException {
        FakeGpuHost host = host(HostSpec.defaults());
        host.injectFailure(new Failure.DriverNotLoaded());
        NvmlException e = assertThrows(NvmlException.class, () -> Nvml.open(host.nvmlLibrary()));
        assertTrue(e.getMessage().startsWith("nvmlInit_v2 failed: Driver Not Loaded. "), e.getMessage());
        assertTrue(e.getMessage().contains("modprobe nvidia"), e.getMessage());
    }

    @Test
    void lostGpuFailsWithNvmlsMessageWhileTheOthersWork() throws IOException {
        FakeGpuHost host = host(HostSpec.defaults());
        try (NvmlSession nvml = Nvml.open(host.nvmlLibrary())) {
            NvmlDevice first = nvml.device(0);
            NvmlDevice second = nvml.device(1);
            host.injectFailure(new Failure.GpuLost(1));
            // The mock re-reads gpus.json at init: a second session sees the lost GPU.
            try (NvmlSession again = Nvml.open(host.nvmlLibrary())) {
                NvmlException e = assertThrows(NvmlException.class, () -> second.uuid());
                assertEquals("nvmlDeviceGetUUID failed: GPU is lost", e.getMessage());
                assertTrue(e.isGpuLost());
                assertEquals(Optional.of(host.gpus().get(0).uuid()), first.uuid());
            }
        }
    }

    @Test
    void migDevicesCarryTheirIdsAndParent() throws IOException {
        FakeGpuHost host = host(HostSpec.defaults().withMig(true));
        JsonNode migJson = config(host).at("/gpus/0/mig/devices");
        try (NvmlSession nvml = Nvml.open(host.nvmlLibrary())) {
            NvmlDevice gpu = nvml.device(0);
            assertTrue(gpu.migMode().orElseThrow().current());
            List<NvmlDevice> migs = gpu.migDevices();
            assertEquals(migJson.size(), migs.size());
            assertFalse(migs.isEmpty());
            for (int m = 0; m < migs.size(); m++) {
                NvmlDevice mig = migs.get(m);
                assertTrue(mig.isMigDevice());
                assertEquals(Optional.of(migJson.get(m).get("uuid").asText()), mig.uuid());
                assertEquals(OptionalInt.of(migJson.get(m).get("gpuInstanceId").asInt()), mig.gpuInstanceId());
                assertEquals(OptionalInt.of(migJson.get(m).get("computeInstanceId").asInt()), mig.computeInstanceId());
                assertEquals(Optional.of(gpu), mig.parent());
                assertEquals(mig, nvml.deviceByUuid(mig.uuid().orElseThrow()).orElseThrow());
            }
            assertFalse(gpu.isMigDevice());
            assertEquals(Optional.empty(), gpu.parent());
        }
    }

    @Test
    void twoHostsLiveSideBySideInOneJvm() throws IOException {
        FakeGpuHost two = FakeGpuHost.create(dir.resolve("two"), HostSpec.defaults().withGpus(2));
        FakeGpuHost four = FakeGpuHost.create(dir.resolve("four"), HostSpec.defaults().withGpus(4));
        try (NvmlSession a = Nvml.open(two.nvmlLibrary()); NvmlSession b = Nvml.open(four.nvmlLibrary())) {
            assertEquals(2, a.deviceCount());
            assertEquals(4, b.deviceCount());
        }
    }

    @Test
    void placementMatchesGpusJson() throws IOException {
        FakeGpuHost host = host(HostSpec.defaults());
        JsonNode gpu0 = config(host).at("/gpus/0");
        try (NvmlSession nvml = Nvml.open(host.nvmlLibrary())) {
            NvmlDevice first = nvml.device(0);
            NvmlDevice second = nvml.device(1);
            JsonNode affinity = gpu0.get("cpuAffinity");
            long[] words = new long[affinity.size()];
            for (int w = 0; w < words.length; w++) {
                words[w] = affinity.get(w).asLong();
            }
            assertFalse(CpuSet.fromMasks(words).isEmpty());
            assertEquals(CpuSet.fromMasks(words).toString(), first.cpuAffinity().orElseThrow().toString());
            assertEquals(OptionalInt.of(gpu0.get("numaNode").asInt()), first.numaNode());
            assertEquals(TopologyLevel.of(gpu0.get("topology").get(1).asInt()), first.topologyTo(second));
            assertTrue(first.topologyTo(second).isPresent());
            assertEquals(Optional.of(P2PStatus.of(gpu0.at("/p2p/read").get(1).asInt())),
                    first.p2pStatus(second, P2PCapability.READ));
            assertEquals(Optional.of(gpu0.get("persistenceMode").asInt() == 1), first.persistenceMode());
        }
    }

    @Test
    void refusesGpuIndexOutsideTheHostNamingTheRange() throws IOException {
        FakeGpuHost host = host(HostSpec.defaults());
        try (NvmlSession nvml = Nvml.open(host.nvmlLibrary())) {
            NvmlException e = assertThrows(NvmlException.class, () -> nvml.device(2));
            assertEquals("there is no GPU 2: NVML sees 2 GPU(s), indexes 0 to 1. Pick one of those.", e.getMessage());
            assertThrows(NvmlException.class, () -> nvml.device(-1));
            assertThrows(NullPointerException.class, () -> nvml.deviceByUuid(null));
            assertEquals(Optional.empty(), nvml.deviceByPciBusId("not a bus id"));
        }
    }
}
