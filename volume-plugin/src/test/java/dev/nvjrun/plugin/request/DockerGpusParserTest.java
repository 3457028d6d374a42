package dev.nvjrun.plugin.request;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DockerGpusParserTest {

    @Test
    void readsAllAndCounts() throws Exception {
        assertEquals(GpuSelector.ALL, DockerGpusParser.parse("all").selector());
        assertEquals(GpuSelector.ALL, DockerGpusParser.parse("count=all").selector());
        assertEquals(new GpuSelector.Count(2), DockerGpusParser.parse("2").selector());
        assertEquals(new GpuSelector.Count(1), DockerGpusParser.parse("count=1,capabilities=compute").selector());
    }

    @Test
    void readsQuotedDeviceLists() throws Exception {
        GpuRequest request = DockerGpusParser.parse("\"device=0,2\",\"capabilities=compute,utility\"");

        assertEquals(new GpuSelector.Devices(List.of("0", "2")), request.selector());
        assertEquals(Set.of("compute", "utility"), request.capabilities());
        assertEquals(new GpuSelector.Devices(List.of("GPU-3a1b")), DockerGpusParser.parse("\"device=GPU-3a1b\"").selector());
        assertEquals(new GpuSelector.Devices(List.of("1")), DockerGpusParser.parse("device=1,driver=nvidia").selector());
    }

    @Test
    void refusesCountTogetherWithDevices() {
        // Unquoted, Docker reads "device=0,2" as device 0 and a count of 2.
        BadRequestException e = assertThrows(BadRequestException.class, () -> DockerGpusParser.parse("device=0,2"));
        assertTrue(e.getMessage().contains("both a count and devices"), e.getMessage());
    }

    @Test
    void refusesMalformedRequests() {
        for (String bad : new String[]{"", " ", "two", "-1", "count=many", "\"device=0", "dev\"ice=0", "colour=red",
                "device=", "\"device=0\"x", "capabilities=compute", "driver=amd,all"}) {
            BadRequestException e = assertThrows(BadRequestException.class, () -> DockerGpusParser.parse(bad), bad);
            assertTrue(e.getMessage().length() > 20, e.getMessage());
        }
    }
}
