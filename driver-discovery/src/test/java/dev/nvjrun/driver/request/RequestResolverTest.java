package dev.nvjrun.driver.request;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RequestResolverTest {

    private static final HostMigDevice MIG_A = new HostMigDevice("MIG-aaaa-1111", 1, 0);
    private static final HostMigDevice MIG_B = new HostMigDevice("MIG-bbbb-2222", 2, 0);
    private static final HostGpus HOST = new HostGpus(new HostDriver("550.54.15", "12.4"), List.of(
            new HostGpu(0, "GPU-11111111-aaaa", 0, "00000000:3B:00.0", "Ampere", "nvidia", "8.0", List.of(MIG_A, MIG_B)),
            new HostGpu(1, "GPU-22222222-bbbb", 1, "00000000:5E:00.0", "Turing", "tesla", "7.5", List.of()),
            new HostGpu(2, "GPU-22223333-cccc", 3, "00000000:86:00.0", "Ampere", "nvidia", "8.0", List.of())));

    private final RequestResolver resolver = new RequestResolver(HOST, P2pTopology.unknown());

    private ResolvedRequest resolve(RequestSources sources) throws GpuRequestException {
        return resolver.resolve(GpuRequest.from(sources));
    }

    private List<String> uuids(RequestSources sources) throws GpuRequestException {
        return resolve(sources).devices().stream().map(SelectedDevice::uuid).toList();
    }

    private String refusal(RequestSources sources) {
        return assertThrows(GpuRequestException.class, () -> resolve(sources)).getMessage();
    }

    @Test
    void allIsEveryGpuInIndexOrder() throws Exception {
        assertEquals(List.of("GPU-11111111-aaaa", "GPU-22222222-bbbb", "GPU-22223333-cccc"),
                uuids(RequestSources.ofGpusFlag("all")));
    }

    @Test
    void devicesComeInTheOrderAskedWithoutRepeats() throws Exception {
        assertEquals(List.of("GPU-22223333-cccc", "GPU-11111111-aaaa"),
                uuids(RequestSources.ofGpusFlag("device=2,0,GPU-1111")));
    }

    @Test
    void findsGpusByUuidPrefixIgnoringCase() throws Exception {
        assertEquals(List.of("GPU-22222222-bbbb"), uuids(RequestSources.ofGpusFlag("device=gpu-22222222")));
    }

    @Test
    void findsGpusByPciBusIdInAnySpelling() throws Exception {
        assertEquals(List.of("GPU-22222222-bbbb", "GPU-22223333-cccc"),
                uuids(RequestSources.none().withUserEnv(Map.of("NVIDIA_VISIBLE_DEVICES", "0000:5e:00.0,86:00.0"))));
    }

    @Test
    void findsMigDevicesByPositionAndUuid() throws Exception {
        ResolvedRequest r = resolve(RequestSources.none().withUserEnv(Map.of("NVIDIA_VISIBLE_DEVICES",
                "0:1,MIG-aaaa")));
        assertEquals(List.of("MIG-bbbb-2222", "MIG-aaaa-1111"), r.devices().stream().map(SelectedDevice::uuid).toList());
        assertInstanceOf(SelectedDevice.MigSlice.class, r.devices().getFirst());
        assertEquals(List.of(HOST.gpus().getFirst()), r.gpus());
    }

    @Test
    void unknownIndexNamesTheHostsDriverAndGpus() {
        String message = refusal(RequestSources.ofGpusFlag("device=7"));
        assertTrue(message.startsWith("unknown device '7' in --gpus 'device=7'"), message);
        assertTrue(message.contains("driver 550.54.15 with CUDA 12.4"), message);
        assertTrue(message.contains("GPUs 0 (GPU-11111111-aaaa), 1 (GPU-22222222-bbbb), 2 (GPU-22223333-cccc)"), message);
    }

    @Test
    void refusesAnAmbiguousPrefix() {
        assertTrue(refusal(RequestSources.ofGpusFlag("device=GPU-2222")).startsWith("ambiguous device 'GPU-2222'"));
    }

    @Test
    void refusesAnUnknownUuid() {
        assertTrue(refusal(RequestSources.none().withNvGpu("GPU-9")).startsWith("unknown device 'GPU-9' in NV_GPU"));
    }

    @Test
    void refusesAMigDeviceTheGpuDoesNotHave() {
        String message = refusal(RequestSources.ofGpusFlag("device=1:0"));
        assertTrue(message.contains("GPU 1 of this host (driver 550.54.15 with CUDA 12.4) has no MIG devices"), message);
    }

    @Test
    void refusesAnUnknownMigUuidListingTheKnownOnes() {
        String message = refusal(RequestSources.ofGpusFlag("device=MIG-cccc"));
        assertTrue(message.contains("0:0 (MIG-aaaa-1111), 0:1 (MIG-bbbb-2222)"), message);
    }

    @Test
    void countsAvoidGpusHeldByOtherContainers() throws Exception {
        ResolvedRequest r = resolver.resolve(GpuRequest.from(RequestSources.ofGpusFlag("2")),
                Map.of("GPU-11111111-aaaa", "other"));
        assertEquals(List.of(1, 2), r.gpus().stream().map(HostGpu::index).toList());
    }

    @Test
    void explicitDevicesAreHonouredEvenWhenHeld() throws Exception {
        ResolvedRequest r = resolver.resolve(GpuRequest.from(RequestSources.ofGpusFlag("device=0")),
                Map.of("GPU-11111111-aaaa", "other"));
        assertEquals(List.of(0), r.gpus().stream().map(HostGpu::index).toList());
    }

    @Test
    void noneSelectsNoGpuButIsAGpuContainer() throws Exception {
        ResolvedRequest r = resolve(RequestSources.none().withUserEnv(Map.of("NVIDIA_VISIBLE_DEVICES", "none")));
        assertEquals(List.of(), r.devices());
        assertTrue(r.isGpuContainer());
    }

    @Test
    void requirementsAreCheckedOnTheSelectedGpusOnly() throws Exception {
        Map<String, String> env = Map.of("NVIDIA_REQUIRE_ARCH", "arch>=8.0");
        resolve(RequestSources.ofGpusFlag("device=0,2").withImageEnv(env));
        String message = refusal(RequestSources.ofGpusFlag("device=1").withImageEnv(env));
        assertTrue(message.contains("GPU 1 (GPU-22222222-bbbb) has compute capability 7.5"), message);
    }

    @Test
    void voidSkipsTheRequirements() throws Exception {
        ResolvedRequest r = resolve(RequestSources.none().withImageEnv(Map.of("NVIDIA_VISIBLE_DEVICES", "void",
                "NVIDIA_REQUIRE_CUDA", "cuda>=99")));
        assertTrue(!r.isGpuContainer());
    }

    @Test
    void refusesAnImageLabelledForANewerCudaAsNvidiaDocker1Did() {
        String message = refusal(RequestSources.none().withImageLabels(Map.of(
                "com.nvidia.volumes.needed", "nvidia_driver", "com.nvidia.cuda.version", "12.6")));
        assertTrue(message.startsWith("unsupported CUDA version: driver 12.4 < image 12.6"), message);
        assertTrue(message.contains("550.54.15"), message);
    }

    @Test
    void acceptsAnImageLabelledForAnOlderCuda() throws Exception {
        assertEquals(3, resolve(RequestSources.none().withImageLabels(Map.of(
                "com.nvidia.volumes.needed", "nvidia_driver", "com.nvidia.cuda.version", "8.0"))).devices().size());
    }

    @Test
    void refusesAMalformedCudaLabel() {
        assertTrue(refusal(RequestSources.ofGpusFlag("all").withImageLabels(Map.of("com.nvidia.cuda.version", "new")))
                .startsWith("malformed image label com.nvidia.cuda.version='new'"));
    }

    @Test
    void findsOneDeviceForThePluginsLookups() throws Exception {
        SelectedDevice d = resolver.find(DeviceId.parse("1", "path"), "path");
        assertEquals("GPU-22222222-bbbb", d.uuid());
    }

    @Test
    void syntaxErrorsNameTheHostWhenResolvedInOneCall() {
        String message = assertThrows(GpuRequestException.class, () -> resolver.resolve(
                RequestSources.ofGpusFlag("device=first"), Map.of())).getMessage();
        assertTrue(message.startsWith("malformed device id 'first' in --gpus"), message);
        assertTrue(message.endsWith("this host has driver 550.54.15 with CUDA 12.4 and GPUs 0 (GPU-11111111-aaaa),"
                + " 1 (GPU-22222222-bbbb), 2 (GPU-22223333-cccc)"), message);
    }

    @Test
    void resolvesSourcesInOneCall() throws Exception {
        assertEquals(List.of(1), resolver.resolve(RequestSources.none().withNvGpu("1"), Map.of()).gpus().stream()
                .map(HostGpu::index).toList());
    }
}
