package dev.nvjrun.runtime.image.oci;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImageConfigTest {
    private static ImageConfig parse(String json) throws IOException {
        return ImageConfig.parse(json.getBytes(StandardCharsets.UTF_8));
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

    @Test
    void readsEveryFieldItUsesAndSkipsUnknownNestedOnes() throws IOException {
        String diff = "sha256:" + "a".repeat(64);
        ImageConfig config = parse("""
                {"architecture":"arm64","os":"linux","created":"2024-01-02T03:04:05Z",
                 "future":{"nested":[{"deep":{"a":[1,2,{"b":null}]}}],"n":1.5e3},
                 "config":{"Hostname":"","Entrypoint":["/init"],"Cmd":["sh","-c","echo hi"],"Env":["PATH=/bin","A=1"],
                   "WorkingDir":"/srv","User":"1000:1000","Labels":{"com.nvidia.volumes.needed":"nvidia_driver","n":null},
                   "ExposedPorts":{"80/tcp":{"future":[1]}},"Healthcheck":{"Test":["CMD","true"],"Interval":30},
                   "Volumes":{"/data":{}},"OnBuild":null,"Shell":["/bin/sh"]},
                 "container_config":{"Cmd":["ignored"]},
                 "history":[{"created_by":"x","empty_layer":true}],
                 "rootfs":{"type":"layers","diff_ids":["%s"],"extra":{"x":[]}}}
                """.formatted(diff));
        assertEquals(new ImageConfig("arm64", "linux", "2024-01-02T03:04:05Z", List.of("/init"), List.of("sh", "-c", "echo hi"),
                List.of("PATH=/bin", "A=1"), "/srv", "1000:1000", java.util.Map.of("com.nvidia.volumes.needed", "nvidia_driver", "n", "null"),
                List.of(dev.nvjrun.runtime.store.Digest.parse(diff)), List.of("80/tcp")), config);
    }

    @Test
    void nullsAndOddTypesReadAsEmptyAsBefore() throws IOException {
        ImageConfig config = parse("{\"config\":{\"Entrypoint\":null,\"Cmd\":\"sh\",\"WorkingDir\":null,\"User\":{},"
                + "\"Labels\":null,\"ExposedPorts\":null},\"rootfs\":null,\"os\":7}");
        assertEquals(List.of(), config.entrypoint());
        assertEquals(List.of(), config.cmd());
        assertEquals("", config.workingDir());
        assertEquals("", config.user());
        assertEquals("7", config.os());
        assertEquals(List.of(), config.diffIds());
    }

    @Test
    void refusesTruncatedConfigsAndBadDiffIds() {
        IOException cut = assertThrows(IOException.class, () -> parse("{\"config\":{\"Cmd\":[\"sh\""));
        assertEquals("the image config ends early; it is truncated", cut.getMessage());
        IOException bad = assertThrows(IOException.class, () -> parse("{\"rootfs\":{\"diff_ids\":[\"md5:0\"]}}"));
        assertTrue(bad.getMessage().contains("md5"), bad.getMessage());
    }
}
