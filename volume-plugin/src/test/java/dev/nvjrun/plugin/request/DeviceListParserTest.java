package dev.nvjrun.plugin.request;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DeviceListParserTest {

    @Test
    void treatsEmptyAndStarAsAll() {
        assertEquals(GpuSelector.ALL, DeviceListParser.parseDevices(null));
        assertEquals(GpuSelector.ALL, DeviceListParser.parseDevices(""));
        assertEquals(GpuSelector.ALL, DeviceListParser.parseDevices("*"));
        assertEquals(GpuSelector.ALL, DeviceListParser.parseDevices("  "));
    }

    @Test
    void splitsOnSpacesPlusAndCommas() {
        assertEquals(new GpuSelector.Devices(List.of("0", "1", "GPU-3a", "2")), DeviceListParser.parseDevices("0 1+GPU-3a,2"));
        assertEquals(new GpuSelector.Devices(List.of("1")), DeviceListParser.parseDevices("1,,1"));
    }
}
