package dev.nvjrun.driver.request;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class DeviceListTest {

    private static List<String> ids(String value) throws GpuRequestException {
        return ((GpuSelector.Devices) DeviceList.parse(value, "NV_GPU")).ids().stream().map(DeviceId::text).toList();
    }

    @ParameterizedTest
    @ValueSource(strings = {"0 1", "0,1", "0+1", " 0 ,  1 ", "0 1 0"})
    void splitsOnSpacesCommasAndPlus(String value) throws Exception {
        assertEquals(List.of("0", "1"), ids(value));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "*"})
    void emptyOrStarMeansEveryGpu(String value) throws Exception {
        assertEquals(GpuSelector.ALL, DeviceList.parse(value, "NV_GPU"));
    }

    @Test
    void takesUuidPrefixesAsNvidiaDocker1Did() throws Exception {
        assertEquals(List.of("GPU-8a3f", "2"), ids("GPU-8a3f 2"));
    }

    @Test
    void refusesMalformedIdsNamingTheSource() {
        String message = assertThrows(GpuRequestException.class, () -> DeviceList.parse("0 gpu1", "NV_GPU")).getMessage();
        assertTrue(message.contains("'gpu1' in NV_GPU"), message);
    }
}
