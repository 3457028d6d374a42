package dev.nvjrun.launcher.image;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nvjrun.runtime.image.Image;
import dev.nvjrun.runtime.image.ImageException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** {@code nvjrun images [-q] [--format json]}: Docker's table, a line per name. */
@Command(name = "images", mixinStandardHelpOptions = true, description = "List images.")
public class ImagesCommand extends StoreCommand {

    private static final String ROW = "%-30s %-15s %-15s %-20s %s%n";

    @Option(names = {"-q", "--quiet"}, description = "Only show image ids.")
    boolean quiet;

    @Option(names = "--format", paramLabel = "FORMAT", description = "\"table\" (default) or \"json\" (one JSON object per line).")
    String format = "table";

    @Override
    public Integer call() throws Exception {
        if (!format.equals("table") && !format.equals("json")) {
            throw new ImageException("format \"" + format + "\" is not supported; use --format json or --format table");
        }
        List<Image> images = images().list();
        PrintWriter out = out();
        if (quiet) {
            Set<String> ids = new LinkedHashSet<>();
            images.forEach(image -> ids.add(image.id().shortHex()));
            ids.forEach(out::println);
            return 0;
        }
        Instant now = Instant.now();
        List<Row> rows = new ArrayList<>();
        for (Image image : images) {
            if (image.references().isEmpty()) {
                rows.add(new Row(new ImageName(ImageName.NONE, ImageName.NONE), image));
            }
            for (String reference : image.references()) {
                rows.add(new Row(ImageName.of(reference), image));
            }
        }
        if (format.equals("json")) {
            ObjectMapper json = new ObjectMapper();
            for (Row row : rows) {
                out.println(json.writeValueAsString(row.json(json, now)));
            }
            return 0;
        }
        out.printf(ROW, "REPOSITORY", "TAG", "IMAGE ID", "CREATED", "SIZE");
        for (Row row : rows) {
            out.printf(ROW, row.name().repository(), row.name().tag(), row.image().id().shortHex(),
                    Since.of(row.image().config().created(), now), new ByteSize(row.image().size()));
        }
        return 0;
    }

    private record Row(ImageName name, Image image) {
        /** The fields of {@code docker images --format json}. */
        ObjectNode json(ObjectMapper mapper, Instant now) {
            ObjectNode node = mapper.createObjectNode();
            node.put("Containers", "N/A");
            node.put("CreatedAt", image.config().created());
            node.put("CreatedSince", Since.of(image.config().created(), now));
            node.put("Digest", image.manifest().toString());
            node.put("ID", image.id().shortHex());
            node.put("Repository", name.repository());
            node.put("SharedSize", "N/A");
            node.put("Size", new ByteSize(image.size()).toString());
            node.put("Tag", name.tag());
            node.put("UniqueSize", "N/A");
            node.put("VirtualSize", new ByteSize(image.size()).toString());
            return node;
        }
    }
}
