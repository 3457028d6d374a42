package dev.nvjrun.driver.request;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nvjrun.driver.catalog.Capability;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Precedence between the sources of a request, as the module README documents it. */
class GpuRequestTest {

    private static final RequestSources NONE = RequestSources.none();

    private static List<String> ids(GpuRequest request) {
        return ((GpuSelector.Devices) request.selector()).ids().stream().map(DeviceId::text).toList();
    }

    private static Map<String, String> visible(String value) {
        return Map.of("NVIDIA_VISIBLE_DEVICES", value);
    }

    @Test
    void gpusFlagBeatsNvGpuAndEnvironment() throws Exception {
        GpuRequest r = GpuRequest.from(NONE.withGpusFlag("device=1").withNvGpu("0").withUserEnv(visible("2"))
                .withImageEnv(visible("all")));
        assertEquals(List.of("1"), ids(r));
        assertTrue(r.selectorOrigin().startsWith("--gpus"));
    }

    @Test
    void nvGpuBeatsTheUsersEnvironment() throws Exception {
        GpuRequest r = GpuRequest.from(NONE.withNvGpu("0 1").withUserEnv(visible("2")));
        assertEquals(List.of("0", "1"), ids(r));
        assertEquals("NV_GPU", r.selectorOrigin());
    }

    @Test
    void blankNvGpuCountsAsUnset() throws Exception {
        assertEquals(List.of("2"), ids(GpuRequest.from(NONE.withNvGpu(" ").withUserEnv(visible("2")))));
    }

    @Test
    void usersVisibleDevicesBeatTheImages() throws Exception {
        GpuRequest r = GpuRequest.from(NONE.withUserEnv(visible("1")).withImageEnv(visible("all")));
        assertEquals(List.of("1"), ids(r));
    }

    @Test
    void usersVoidTurnsOffTheImagesGpus() throws Exception {
        assertFalse(GpuRequest.from(NONE.withUserEnv(visible("void")).withImageEnv(visible("all"))).isGpuContainer());
    }

    @Test
    void imageVisibleDevicesApplyWithoutAFlag() throws Exception {
        assertEquals(GpuSelector.ALL, GpuRequest.from(NONE.withImageEnv(visible("all"))).selector());
    }

    @Test
    void noSourceIsNotAGpuContainer() throws Exception {
        GpuRequest r = GpuRequest.from(NONE.withImageEnv(Map.of("PATH", "/bin")));
        assertFalse(r.isGpuContainer());
        assertEquals(GpuSelector.VOID, r.selector());
    }

    @Test
    void legacyCudaImageGetsAllGpusAllCapabilitiesAndACudaRequirement() throws Exception {
        GpuRequest r = GpuRequest.from(NONE.withImageEnv(Map.of("CUDA_VERSION", "9.0.176")));
        assertEquals(GpuSelector.ALL, r.selector());
        assertEquals(EnumSet.allOf(Capability.class), r.capabilities());
        assertEquals(List.of(new RequirementText("CUDA_VERSION", "cuda>=9.0")), r.requirements());
    }

    @Test
    void imageWithRequireCudaIsNotLegacy() throws Exception {
        GpuRequest r = GpuRequest.from(NONE.withImageEnv(Map.of("CUDA_VERSION", "12.4.1",
                "NVIDIA_REQUIRE_CUDA", "cuda>=12.4")));
        assertFalse(r.isGpuContainer());
    }

    @Test
    void nvidiaDocker1LabelGetsAllGpusAndCapabilities() throws Exception {
        GpuRequest r = GpuRequest.from(NONE.withImageLabels(Map.of("com.nvidia.volumes.needed", "nvidia_driver",
                "com.nvidia.cuda.version", "8.0")));
        assertEquals(GpuSelector.ALL, r.selector());
        assertEquals(EnumSet.allOf(Capability.class), r.capabilities());
        assertEquals(Optional.of("8.0"), r.imageCudaVersion());
    }

    @Test
    void nvGpuSelectsWithinALabelledImage() throws Exception {
        GpuRequest r = GpuRequest.from(NONE.withNvGpu("1").withImageLabels(Map.of("com.nvidia.volumes.needed",
                "nvidia_driver")));
        assertEquals(List.of("1"), ids(r));
    }

    @Test
    void refusesLabelsAskingForUnknownVolumes() {
        String message = assertThrows(GpuRequestException.class, () -> GpuRequest.from(NONE.withImageLabels(
                Map.of("com.nvidia.volumes.needed", "nvidia_driver cuda_toolkit")))).getMessage();
        assertTrue(message.contains("'cuda_toolkit'"), message);
    }

    @Test
    void capabilitiesDefaultToUtilityAndCompute() throws Exception {
        assertEquals(Set.of(Capability.UTILITY, Capability.COMPUTE), GpuRequest.from(NONE.withGpusFlag("all")).capabilities());
    }

    @Test
    void flagCapabilitiesBeatTheEnvironment() throws Exception {
        GpuRequest r = GpuRequest.from(NONE.withGpusFlag("all,capabilities=video")
                .withUserEnv(Map.of("NVIDIA_DRIVER_CAPABILITIES", "graphics")));
        assertEquals(Set.of(Capability.VIDEO), r.capabilities());
    }

    @Test
    void usersCapabilitiesBeatTheImages() throws Exception {
        GpuRequest r = GpuRequest.from(NONE.withGpusFlag("all")
                .withUserEnv(Map.of("NVIDIA_DRIVER_CAPABILITIES", "graphics"))
                .withImageEnv(Map.of("NVIDIA_DRIVER_CAPABILITIES", "video")));
        assertEquals(Set.of(Capability.GRAPHICS), r.capabilities());
    }

    @Test
    void imageCapabilitiesApplyAndAllMeansEveryPart() throws Exception {
        GpuRequest r = GpuRequest.from(NONE.withGpusFlag("all").withImageEnv(Map.of("NVIDIA_DRIVER_CAPABILITIES", "all")));
        assertEquals(EnumSet.allOf(Capability.class), r.capabilities());
    }

    @Test
    void emptyCapabilitiesMeanTheDefault() throws Exception {
        GpuRequest r = GpuRequest.from(NONE.withGpusFlag("all").withUserEnv(Map.of("NVIDIA_DRIVER_CAPABILITIES", "")));
        assertEquals(GpuRequest.DEFAULT_CAPABILITIES, r.capabilities());
    }

    @Test
    void unknownImageCapabilitiesAreSkipped() throws Exception {
        GpuRequest r = GpuRequest.from(NONE.withGpusFlag("all")
                .withImageEnv(Map.of("NVIDIA_DRIVER_CAPABILITIES", "compute,hologram")));
        assertEquals(Set.of(Capability.COMPUTE), r.capabilities());
    }

    @Test
    void refusesUnknownCapabilitiesFromTheUser() {
        String message = assertThrows(GpuRequestException.class, () -> GpuRequest.from(NONE.withGpusFlag("all")
                .withUserEnv(Map.of("NVIDIA_DRIVER_CAPABILITIES", "compute,hologram")))).getMessage();
        assertTrue(message.contains("unknown driver capability 'hologram'"), message);
    }

    @Test
    void collectsEveryRequirementButJetpack() throws Exception {
        GpuRequest r = GpuRequest.from(NONE.withGpusFlag("all").withImageEnv(Map.of(
                "NVIDIA_REQUIRE_CUDA", "cuda>=12.4", "NVIDIA_REQUIRE_ARCH", "arch>=7.0",
                "NVIDIA_REQUIRE_JETPACK_HOST_MOUNTS", "x")));
        assertEquals(List.of(new RequirementText("NVIDIA_REQUIRE_ARCH", "arch>=7.0"),
                new RequirementText("NVIDIA_REQUIRE_CUDA", "cuda>=12.4")), r.requirements());
    }

    @Test
    void usersRequirementReplacesTheImagesOfTheSameName() throws Exception {
        GpuRequest r = GpuRequest.from(NONE.withGpusFlag("all")
                .withImageEnv(Map.of("NVIDIA_REQUIRE_CUDA", "cuda>=12.4"))
                .withUserEnv(Map.of("NVIDIA_REQUIRE_CUDA", "cuda>=11.0")));
        assertEquals(List.of(new RequirementText("NVIDIA_REQUIRE_CUDA", "cuda>=11.0")), r.requirements());
    }

    @Test
    void disableRequireDropsRequirementsAndTheCudaLabel() throws Exception {
        GpuRequest r = GpuRequest.from(NONE.withGpusFlag("all")
                .withImageEnv(Map.of("NVIDIA_REQUIRE_CUDA", "cuda>=99.0"))
                .withUserEnv(Map.of("NVIDIA_DISABLE_REQUIRE", "true"))
                .withImageLabels(Map.of("com.nvidia.cuda.version", "99.0")));
        assertEquals(List.of(), r.requirements());
        assertEquals(Optional.empty(), r.imageCudaVersion());
    }

    @Test
    void disableRequireReadsBooleansAsGoDoes() throws Exception {
        GpuRequest r = GpuRequest.from(NONE.withGpusFlag("all").withImageEnv(Map.of(
                "NVIDIA_REQUIRE_CUDA", "cuda>=99.0", "NVIDIA_DISABLE_REQUIRE", "yes")));
        assertEquals(1, r.requirements().size());
    }

    @Test
    void refusesAMalformedLegacyCudaVersion() {
        String message = assertThrows(GpuRequestException.class, () -> GpuRequest.from(NONE.withImageEnv(
                Map.of("CUDA_VERSION", "twelve")))).getMessage();
        assertTrue(message.contains("malformed CUDA_VERSION 'twelve'"), message);
    }

    @Test
    void errorsNameTheSourceOfTheBadValue() {
        String message = assertThrows(GpuRequestException.class, () -> GpuRequest.from(NONE.withImageEnv(
                visible("0,x")))).getMessage();
        assertTrue(message.contains("the image's NVIDIA_VISIBLE_DEVICES"), message);
    }

    @Test
    void pluginDeviceListsUseTheDefaultCapabilities() throws Exception {
        GpuRequest r = GpuRequest.ofDeviceList("0+1");
        assertEquals(List.of("0", "1"), ids(r));
        assertEquals(GpuRequest.DEFAULT_CAPABILITIES, r.capabilities());
        assertEquals(GpuSelector.ALL, GpuRequest.ofDeviceList(null).selector());
    }
}
