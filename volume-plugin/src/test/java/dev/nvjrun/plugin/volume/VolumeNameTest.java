package dev.nvjrun.plugin.volume;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VolumeNameTest {

    @Test
    void splitsAtTheLastUnderscoreBeforeTheVersion() throws Exception {
        VolumeName name = VolumeName.parse("nvidia_driver_535.104.05");

        assertEquals(DriverVolume.NVIDIA_DRIVER, name.volume());
        assertEquals("535.104.05", name.version());
        assertEquals("nvidia_driver_535.104.05", name.dockerName());
    }

    @Test
    void explainsWhatIsWrongWithAName() {
        assertTrue(assertThrows(VolumeException.class, () -> VolumeName.parse(null)).getMessage().startsWith("missing volume name"));
        assertTrue(assertThrows(VolumeException.class, () -> VolumeName.parse("nvidia_driver")).getMessage().startsWith("bad volume format"));
        assertTrue(assertThrows(VolumeException.class, () -> VolumeName.parse("nvidia_driver_1/2")).getMessage().startsWith("bad volume format"));
        assertTrue(assertThrows(VolumeException.class, () -> VolumeName.parse("nvidia_cuda_1.0")).getMessage().startsWith("unsupported volume"));
    }

    @Test
    void leavesDotOnlyVersionsToTheStoreWhichRefusesThem() throws Exception {
        VolumeName dots = VolumeName.parse("nvidia_driver_..");

        VolumeException e = assertThrows(VolumeException.class, () -> new VolumeStore(java.nio.file.Path.of("/nonexistent")).find(dots));
        assertTrue(e.getMessage().startsWith("invalid driver version '..'"), e.getMessage());
    }
}
