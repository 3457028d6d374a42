package dev.nvjrun.nvml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CpuSetTest {

    @Test
    void formatsOneRunAsRange() {
        assertEquals("0-15", CpuSet.fromMasks(new long[] {0xFFFFL}).toString());
    }

    @Test
    void formatsRunsAcrossWordsAndSingletons() {
        long[] masks = {0xFFFF_0000_0000_FFFFL | (1L << 63), 0b101L};
        // bits 0-15, 48-63 of word 0 continue into bit 64 of word 1, then 66.
        assertEquals("0-15,48-64,66", CpuSet.fromMasks(masks).toString());
    }

    @Test
    void formatsSingleCpuWithoutDash() {
        assertEquals("3", CpuSet.fromMasks(new long[] {0b1000L}).toString());
    }

    @Test
    void formatsHighCpusOfALargeHost() {
        long[] masks = new long[64];
        masks[63] = 1L << 63;
        assertEquals("4095", CpuSet.fromMasks(masks).toString());
    }

    @Test
    void emptyMaskIsAnEmptyList() {
        CpuSet none = CpuSet.fromMasks(new long[4]);
        assertTrue(none.isEmpty());
        assertEquals("", none.toString());
    }

    @Test
    void isNotChangedThroughItsAccessor() {
        CpuSet set = CpuSet.fromMasks(new long[] {1L});
        set.cpus().set(5);
        assertEquals("0", set.toString());
    }
}
