package dev.nvjrun.plugin.request;

import dev.nvjrun.plugin.host.Gpu;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GpuResolverTest {

    private static final List<Gpu> GPUS = List.of(
            Gpu.of(0, "GPU-aa11", 0), Gpu.of(1, "GPU-aa22", 1), Gpu.of(2, "GPU-bb33", 4));

    @Test
    void selectsByIndexAndUuidPrefixInTheOrderAsked() throws Exception {
        List<Gpu> chosen = GpuResolver.resolve(new GpuSelector.Devices(List.of("GPU-bb", "0", "GPU-aa11", "00")), GPUS);

        assertEquals(List.of(2, 0), chosen.stream().map(Gpu::index).toList());
        assertEquals("/dev/nvidia4", chosen.getFirst().devicePath());
    }

    @Test
    void selectsAllAndFirstN() throws Exception {
        assertEquals(GPUS, GpuResolver.resolve(GpuSelector.ALL, GPUS));
        assertEquals(GPUS.subList(0, 2), GpuResolver.resolve(new GpuSelector.Count(2), GPUS));
        assertEquals(List.of(), GpuResolver.resolve(new GpuSelector.Count(0), GPUS));
    }

    @Test
    void refusesUnknownAmbiguousAndTooMany() {
        BadRequestException unknown = assertThrows(BadRequestException.class,
                () -> GpuResolver.resolve(new GpuSelector.Devices(List.of("3")), GPUS));
        assertTrue(unknown.getMessage().contains("unknown device 3"), unknown.getMessage());
        assertThrows(BadRequestException.class, () -> GpuResolver.resolve(new GpuSelector.Devices(List.of("GPU-cc")), GPUS));
        BadRequestException ambiguous = assertThrows(BadRequestException.class,
                () -> GpuResolver.resolve(new GpuSelector.Devices(List.of("GPU-aa")), GPUS));
        assertTrue(ambiguous.getMessage().contains("ambiguous"), ambiguous.getMessage());
        assertThrows(BadRequestException.class, () -> GpuResolver.resolve(new GpuSelector.Count(4), GPUS));
        assertThrows(IllegalArgumentException.class, () -> new GpuSelector.Count(-1));
    }
}
