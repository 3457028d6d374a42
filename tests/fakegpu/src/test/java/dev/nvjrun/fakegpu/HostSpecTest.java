package dev.nvjrun.fakegpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class HostSpecTest {

    @Test
    void defaultsAreTwoA100sOnDriver550() {
        HostSpec spec = HostSpec.defaults();
        assertEquals(2, spec.gpus());
        assertEquals("NVIDIA A100-SXM4-80GB", spec.model());
        assertEquals("550.54.15", spec.driverVersion());
        assertEquals(12040, spec.cudaDriverVersion());
        assertEquals(3, spec.withGpus(3).gpus());
        assertEquals(12020, spec.withCudaVersion("12.2").cudaDriverVersion());
    }

    @Test
    void refusesOutOfRangeAndMalformedValues() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> HostSpec.defaults().withGpus(65))
                .getMessage().contains("choose 0 to 64"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> HostSpec.defaults().withModel(" "))
                .getMessage().contains("GPU model"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> HostSpec.defaults().withDriverVersion("5.1"))
                .getMessage().contains("driver version '5.1'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> HostSpec.defaults().withCudaVersion("twelve"))
                .getMessage().contains("CUDA version 'twelve'"));
    }
}
