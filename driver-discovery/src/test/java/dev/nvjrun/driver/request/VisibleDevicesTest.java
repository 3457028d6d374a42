package dev.nvjrun.driver.request;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class VisibleDevicesTest {

    private static GpuSelector parse(String value) throws GpuRequestException {
        return VisibleDevices.parse(value, "NVIDIA_VISIBLE_DEVICES");
    }

    @Test
    void readsTheKeywords() throws Exception {
        assertEquals(GpuSelector.ALL, parse("all"));
        assertEquals(GpuSelector.NONE, parse("none"));
        assertEquals(GpuSelector.VOID, parse("void"));
        assertEquals(GpuSelector.ALL, parse("ALL"));
    }

    @Test
    void anEmptyValueIsNotAGpuContainer() throws Exception {
        assertEquals(GpuSelector.VOID, parse(""));
    }

    @Test
    void readsEveryIdForm() throws Exception {
        List<DeviceId> ids = ((GpuSelector.Devices) parse("0,GPU-abc,1:0,MIG-xyz,0000:3b:00.0")).ids();
        assertInstanceOf(DeviceId.Index.class, ids.get(0));
        assertInstanceOf(DeviceId.UuidPrefix.class, ids.get(1));
        assertInstanceOf(DeviceId.MigIndex.class, ids.get(2));
        assertInstanceOf(DeviceId.MigUuid.class, ids.get(3));
        assertInstanceOf(DeviceId.PciBusId.class, ids.get(4));
    }

    @Test
    void dropsRepeatedIds() throws Exception {
        assertEquals(2, ((GpuSelector.Devices) parse("0,1,0")).ids().size());
    }

    @ParameterizedTest
    @ValueSource(strings = {"0:", "gpu0", "0,,1", "0:1:2", "MIG-", "GPU-ab cd", "-1"})
    void refusesMalformedLists(String value) {
        String message = assertThrows(GpuRequestException.class, () -> parse(value)).getMessage();
        assertTrue(message.contains("NVIDIA_VISIBLE_DEVICES '" + value + "'"), message);
    }

    @Test
    void formatsWhatTheRuntimeWouldReadBack() throws Exception {
        assertEquals("0,GPU-abc", VisibleDevices.format(parse("0,GPU-abc")));
        assertEquals("all", VisibleDevices.format(GpuSelector.ALL));
        assertEquals("0,1", VisibleDevices.format(new GpuSelector.Count(2)));
    }
}
