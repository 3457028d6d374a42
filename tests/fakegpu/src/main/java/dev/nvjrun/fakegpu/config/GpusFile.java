package dev.nvjrun.fakegpu.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nvjrun.fakegpu.Failure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Reads, checks and atomically rewrites a gpus.json, and records injected failures in it. */
public final class GpusFile {

    private final ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public ObjectNode read(Path file) throws IOException {
        JsonNode node;
        try {
            node = mapper.readTree(Files.readString(file));
        } catch (NoSuchFileException e) {
            throw new IOException("GPU description " + file + " does not exist; create the host first with"
                    + " nvjrun-fakegpu create");
        } catch (JsonProcessingException e) {
            throw new IOException("GPU description " + file + " is not valid JSON (" + e.getOriginalMessage()
                    + "); fix the file or recreate the host");
        }
        return check(file, node);
    }

    /** Writes through a temporary file and a rename, so the mock never reads half a file. */
    public void write(Path file, ObjectNode root) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            Files.write(tmp, mapper.writeValueAsBytes(root));
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    public void apply(Path file, ObjectNode root, Failure failure) throws IOException {
        ObjectNode failures = root.has("failures") && root.get("failures").isObject()
                ? (ObjectNode) root.get("failures") : root.putObject("failures");
        switch (failure) {
            case Failure.InitFails f -> failures.put("initReturn", f.nvmlReturn());
            case Failure.DriverNotLoaded f -> failures.put("driverNotLoaded", true);
            case Failure.GpuLost f -> {
                JsonNode gpu = root.path("gpus").path(f.index());
                if (!gpu.isObject()) {
                    throw new IllegalArgumentException("cannot mark GPU " + f.index() + " lost: " + file + " describes "
                            + root.path("gpus").size() + " GPUs; use an index below that");
                }
                ((ObjectNode) gpu).put("lost", true);
            }
            case Failure.NotSupported f -> {
                JsonNode list = failures.path("notSupported");
                ArrayNode names = list.isArray() ? (ArrayNode) list : failures.putArray("notSupported");
                names.add(f.nvmlFunction());
            }
        }
    }

    /** Removes every injected failure. */
    public void clear(ObjectNode root) {
        root.putObject("failures").putArray("notSupported");
        for (JsonNode gpu : root.path("gpus")) {
            if (gpu.isObject()) {
                ((ObjectNode) gpu).put("lost", false);
            }
        }
    }

    private static ObjectNode check(Path file, JsonNode node) throws IOException {
        if (!(node instanceof ObjectNode root) || !root.path("gpus").isArray()) {
            throw new IOException("GPU description " + file + " is not a JSON object with a \"gpus\" array;"
                    + " start from a file written by nvjrun-fakegpu create");
        }
        for (JsonNode gpu : root.get("gpus")) {
            if (!gpu.isObject() || !gpu.path("uuid").isTextual()) {
                throw new IOException("GPU description " + file + " has a GPU without a \"uuid\" string;"
                        + " give every entry of \"gpus\" a uuid");
            }
        }
        if (root.path("gpus").size() > 64) {
            throw new IOException("GPU description " + file + " describes more than 64 GPUs; the mock NVML"
                    + " holds at most 64");
        }
        return root;
    }
}
