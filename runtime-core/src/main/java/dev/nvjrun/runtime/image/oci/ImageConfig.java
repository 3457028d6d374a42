package dev.nvjrun.runtime.image.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nvjrun.runtime.store.Digest;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parts of an image config that nvjrun acts on. The raw JSON stays the source of truth (it
 * is hashed, saved and shown by inspect); this record is what container creation reads.
 *
 * @param labels includes nvidia-docker's {@code com.nvidia.volumes.needed} and
 *               {@code com.nvidia.cuda.version} when the image sets them
 * @param exposedPorts the keys of {@code config.ExposedPorts} ({@code "80/tcp"}), in image order, for {@code run -P}
 */
public record ImageConfig(String architecture, String os, String created, List<String> entrypoint, List<String> cmd,
                          List<String> env, String workingDir, String user, Map<String, String> labels,
                          List<Digest> diffIds, List<String> exposedPorts) {

    public ImageConfig {
        entrypoint = List.copyOf(entrypoint);
        cmd = List.copyOf(cmd);
        env = List.copyOf(env);
        labels = Map.copyOf(labels);
        diffIds = List.copyOf(diffIds);
        exposedPorts = List.copyOf(exposedPorts);
    }

    /** An image config that exposes no ports. */
    public ImageConfig(String architecture, String os, String created, List<String> entrypoint, List<String> cmd,
                       List<String> env, String workingDir, String user, Map<String, String> labels, List<Digest> diffIds) {
        this(architecture, os, created, entrypoint, cmd, env, workingDir, user, labels, diffIds, List.of());
    }

    public static ImageConfig parse(byte[] json, ObjectMapper mapper) throws IOException {
        JsonNode root = mapper.readTree(json);
        if (root == null || !root.isObject()) {
            throw new IOException("the image config is not a JSON object");
        }
        JsonNode config = root.path("config");
        List<Digest> diffIds = new ArrayList<>();
        for (JsonNode diff : root.path("rootfs").path("diff_ids")) {
            diffIds.add(Digest.parse(diff.asText()));
        }
        Map<String, String> labels = new LinkedHashMap<>();
        config.path("Labels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
        List<String> exposedPorts = new ArrayList<>();
        config.path("ExposedPorts").fieldNames().forEachRemaining(exposedPorts::add);
        return new ImageConfig(text(root, "architecture"), text(root, "os"), text(root, "created"),
                strings(config.path("Entrypoint")), strings(config.path("Cmd")), strings(config.path("Env")),
                text(config, "WorkingDir"), text(config, "User"), labels, diffIds, exposedPorts);
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? "" : value.asText();
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        for (JsonNode value : array) {
            values.add(value.asText());
        }
        return values;
    }
}
