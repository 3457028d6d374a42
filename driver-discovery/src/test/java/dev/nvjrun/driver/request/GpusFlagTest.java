package dev.nvjrun.driver.request;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nvjrun.driver.catalog.Capability;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GpusFlagTest {

    private static List<String> ids(GpuSelector selector) {
        return ((GpuSelector.Devices) selector).ids().stream().map(DeviceId::text).toList();
    }

    private static String refusal(String value) {
        return assertThrows(GpuRequestException.class, () -> GpusFlag.parse(value)).getMessage();
    }

    @Test
    void allSelectsEveryGpu() throws Exception {
        assertEquals(GpuSelector.ALL, GpusFlag.parse("all").selector());
        assertEquals(GpuSelector.ALL, GpusFlag.parse("count=all").selector());
    }

    @Test
    void aBareNumberIsACount() throws Exception {
        assertEquals(new GpuSelector.Count(2), GpusFlag.parse("2").selector());
        assertEquals(new GpuSelector.Count(3), GpusFlag.parse("count=3").selector());
        assertEquals(new GpuSelector.Count(0), GpusFlag.parse("0").selector());
    }

    @Test
    void quotedDeviceListIsOneField() throws Exception {
        assertEquals(List.of("0", "2"), ids(GpusFlag.parse("\"device=0,2\"").selector()));
    }

    @Test
    void unquotedDeviceListContinuesAcrossCommas() throws Exception {
        assertEquals(List.of("0", "2"), ids(GpusFlag.parse("device=0,2").selector()));
    }

    @Test
    void devicesTakeUuidsAndMigIds() throws Exception {
        GpuSelector s = GpusFlag.parse("\"device=GPU-8a3f,0:1,MIG-1234-abcd\"").selector();
        List<DeviceId> list = ((GpuSelector.Devices) s).ids();
        assertEquals(new DeviceId.UuidPrefix("GPU-8a3f", "GPU-8a3f"), list.get(0));
        assertEquals(new DeviceId.MigIndex(0, 1, "0:1"), list.get(1));
        assertEquals(new DeviceId.MigUuid("MIG-1234-abcd", "MIG-1234-abcd"), list.get(2));
    }

    @Test
    void capabilitiesWithoutACountAskForOneGpuAsDockerDoes() throws Exception {
        GpusFlag flag = GpusFlag.parse("\"capabilities=compute,utility\"");
        assertEquals(new GpuSelector.Count(1), flag.selector());
        assertEquals(Optional.of(Set.of(Capability.COMPUTE, Capability.UTILITY)), flag.capabilities());
    }

    @Test
    void unquotedCapabilitiesContinueAcrossCommas() throws Exception {
        GpusFlag flag = GpusFlag.parse("all,capabilities=compute,video");
        assertEquals(GpuSelector.ALL, flag.selector());
        assertEquals(Optional.of(Set.of(Capability.COMPUTE, Capability.VIDEO)), flag.capabilities());
    }

    @Test
    void dockersGenericGpuCapabilityIsNotADriverPart() throws Exception {
        assertEquals(Optional.empty(), GpusFlag.parse("all,capabilities=gpu").capabilities());
        assertEquals(Optional.empty(), GpusFlag.parse("all").capabilities());
    }

    @Test
    void capabilityAllMeansEveryPart() throws Exception {
        assertEquals(Optional.of(EnumSet.allOf(Capability.class)), GpusFlag.parse("2,capabilities=all").capabilities());
    }

    @Test
    void acceptsDriverNvidiaAndOptions() throws Exception {
        assertEquals(new GpuSelector.Count(1), GpusFlag.parse("driver=nvidia,count=1,options=a").selector());
    }

    @Test
    void keepsPluginBehaviourForItsCases() throws Exception {
        assertEquals(List.of("0", "2"), ids(GpusFlag.parse("\"device=0,2\",capabilities=compute").selector()));
        assertEquals(new GpuSelector.Count(2), GpusFlag.parse(" 2 ").selector());
        assertEquals(List.of("a\"b"), List.of(GpusFlag.csvFields("\"a\"\"b\"").getFirst()));
    }

    @Test
    void refusesOtherDrivers() {
        assertTrue(refusal("driver=amd,all").contains("driver=nvidia"));
    }

    @Test
    void refusesUnknownKeys() {
        assertTrue(refusal("gpus=2").contains("unexpected key 'gpus'"));
    }

    @Test
    void refusesRepeatedKeys() {
        assertTrue(refusal("count=1,count=2").contains("more than once"));
        assertTrue(refusal("2,count=2").contains("more than once"));
    }

    @Test
    void refusesBothCountAndDevices() {
        assertTrue(refusal("2,\"device=0,1\"").contains("both a count and devices"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "two", "1.5", "count=x"})
    void refusesBadCounts(String value) {
        assertTrue(refusal(value).contains("invalid GPU count"), value);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "  "})
    void refusesEmptyValue(String value) {
        assertTrue(refusal(value).startsWith("empty --gpus value"));
    }

    @Test
    void refusesUnterminatedQuote() {
        assertTrue(refusal("\"device=0,1").contains("unterminated quote"));
    }

    @Test
    void refusesStrayQuote() {
        assertTrue(refusal("device=0\"1").contains("stray quote"));
    }

    @Test
    void refusesTextAfterAQuotedField() {
        assertTrue(refusal("\"device=0\"x").contains("after a quoted field"));
    }

    @Test
    void refusesEmptyDeviceIds() {
        assertTrue(refusal("\"device=0,,1\"").contains("empty device id"));
        assertTrue(refusal("device=").contains("empty device id"));
    }

    @Test
    void refusesMalformedDeviceIds() {
        assertTrue(refusal("device=zero").contains("malformed device id 'zero'"));
    }

    @Test
    void refusesUnknownCapabilities() {
        assertTrue(refusal("all,capabilities=tpu").contains("unknown capability 'tpu'"));
    }
}
