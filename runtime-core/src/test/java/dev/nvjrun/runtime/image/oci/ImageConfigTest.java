package dev.nvjrun.runtime.image.oci;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ImageConfigTest {
    private static ImageConfig parse(String json) throws IOException {
        return ImageConfig.parse(json.getBytes(StandardCharsets.UTF_8), new ObjectMapper());
    }

    @Test
    void readsExposedPortsInImageOrder() throws IOException {
        ImageConfig config = parse("{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"ExposedPorts\":"
                + "{\"8888/tcp\":{},\"53/udp\":{},\"80\":{}}},\"rootfs\":{\"diff_ids\":[]}}");
        assertEquals(List.of("8888/tcp", "53/udp", "80"), config.exposedPorts());
    }

    @Test
    void imageWithoutExposedPortsExposesNone() throws IOException {
        assertEquals(List.of(), parse("{\"config\":{\"Cmd\":[\"sh\"]}}").exposedPorts());
    }

    @Test
    void refusesAConfigThatIsNotAnObject() {
        assertThrows(IOException.class, () -> parse("[1]"));
    }
}
