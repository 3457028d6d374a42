package dev.nvjrun.fakegpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FailureTest {

    @Test
    void parsesEveryCommandLineForm() {
        assertEquals(new Failure.InitFails(12), Failure.parse("init-fails=12"));
        assertEquals(new Failure.DriverNotLoaded(), Failure.parse("driver-not-loaded"));
        assertEquals(new Failure.GpuLost(3), Failure.parse("gpu-lost=3"));
        assertEquals(new Failure.NotSupported("nvmlDeviceGetPowerUsage"),
                Failure.parse("not-supported=nvmlDeviceGetPowerUsage"));
    }

    @Test
    void refusesMalformedFailures() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Failure.parse("init-fails=abc"))
                .getMessage().contains("needs a whole number"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Failure.parse("init-fails=0"))
                .getMessage().contains("is not an NVML error"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Failure.parse("gpu-lost=-1"))
                .getMessage().contains("is negative"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Failure.parse("not-supported=rm -rf"))
                .getMessage().contains("is not an NVML function name"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Failure.parse("driver-not-loaded=1"))
                .getMessage().contains("takes no value"));
    }
}
