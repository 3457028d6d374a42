package dev.nvjrun.nvml;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class VersionNumbersTest {

    @Test
    void decodesNvmlCudaVersion() {
        assertEquals(new CudaVersion(12, 4), CudaVersion.fromNvml(12040));
        assertEquals("12.4", CudaVersion.fromNvml(12040).toString());
        assertEquals("11.8", CudaVersion.fromNvml(11080).toString());
        assertEquals("12.0", CudaVersion.fromNvml(12000).toString());
    }

    @Test
    void namesFamilyFromComputeCapability() {
        assertEquals(Optional.of("Kepler"), new ComputeCapability(3, 7).family());
        assertEquals(Optional.of("Volta"), new ComputeCapability(7, 0).family());
        assertEquals(Optional.of("Turing"), new ComputeCapability(7, 5).family());
        assertEquals(Optional.of("Ampere"), new ComputeCapability(8, 6).family());
        assertEquals(Optional.of("Ada"), new ComputeCapability(8, 9).family());
        assertEquals(Optional.of("Hopper"), new ComputeCapability(9, 0).family());
        assertEquals(Optional.empty(), new ComputeCapability(42, 0).family());
        assertEquals("8.0", new ComputeCapability(8, 0).toString());
    }

    @Test
    void mapsNvmlEnumsIncludingUnknownValues() {
        assertEquals(Architecture.AMPERE, Architecture.of(7));
        assertEquals(Architecture.HOPPER, Architecture.of(9));
        assertEquals(Architecture.UNKNOWN, Architecture.of(0xffffffff));
        assertEquals(Brand.TESLA, Brand.of(2));
        assertEquals(Brand.UNKNOWN, Brand.of(1234));
        assertEquals(Optional.of(TopologyLevel.HOSTBRIDGE), TopologyLevel.of(30));
        assertEquals(Optional.empty(), TopologyLevel.of(35));
        assertEquals(P2PStatus.OK, P2PStatus.of(0));
        assertEquals(P2PStatus.UNKNOWN, P2PStatus.of(77));
        assertEquals(NvmlReturn.ERROR_GPU_IS_LOST, NvmlReturn.of(15));
        assertEquals(NvmlReturn.ERROR_UNKNOWN, NvmlReturn.of(4242));
    }
}
