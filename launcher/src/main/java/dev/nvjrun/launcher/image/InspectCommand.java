package dev.nvjrun.launcher.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nvjrun.runtime.image.Image;
import dev.nvjrun.runtime.image.ImageService;
import dev.nvjrun.runtime.store.Digest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** {@code nvjrun image inspect IMAGE...}: a JSON array in the shape of {@code docker image inspect}. */
@Command(name = "inspect", mixinStandardHelpOptions = true, description = "Show images in detail as a JSON array.")
final class InspectCommand extends StoreCommand {

    @Parameters(arity = "1..*", paramLabel = "IMAGE", description = "Names or ids.")
    List<String> names;

    @Override
    public Integer call() throws Exception {
        ImageService images = images();
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ArrayNode result = json.createArrayNode();
        // Every name is resolved before anything is printed, so an unknown one prints only the error.
        for (String name : names) {
            Image image = images.inspect(name);
            result.add(describe(image, json.readTree(images.rawConfig(name)), json));
        }
        out().println(json.writeValueAsString(result));
        return 0;
    }

    private static ObjectNode describe(Image image, JsonNode config, ObjectMapper json) {
        ObjectNode node = json.createObjectNode();
        node.put("Id", image.id().toString());
        ArrayNode tags = node.putArray("RepoTags");
        Set<String> repositories = new LinkedHashSet<>();
        for (String reference : image.references()) {
            ImageName name = ImageName.of(reference);
            repositories.add(name.repository());
            if (!name.tag().equals(ImageName.NONE)) {
                tags.add(name.familiar());
            }
        }
        ArrayNode digests = node.putArray("RepoDigests");
        repositories.forEach(repository -> digests.add(repository + "@" + image.manifest()));
        node.put("Parent", "");
        node.put("Comment", config.path("comment").asText(""));
        node.put("Created", config.path("created").asText(""));
        node.put("Author", config.path("author").asText(""));
        node.set("Config", config.path("config").isObject() ? config.get("config") : json.createObjectNode());
        node.put("Architecture", config.path("architecture").asText(""));
        if (config.has("variant")) {
            node.put("Variant", config.get("variant").asText());
        }
        node.put("Os", config.path("os").asText(""));
        node.put("Size", image.size());
        ObjectNode rootfs = node.putObject("RootFS");
        rootfs.put("Type", "layers");
        ArrayNode layers = rootfs.putArray("Layers");
        image.config().diffIds().stream().map(Digest::toString).forEach(layers::add);
        node.putObject("Metadata").put("LastTagTime", image.added());
        return node;
    }
}
