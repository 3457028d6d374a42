package dev.nvjrun.runtime.network;

import dev.nvjrun.runtime.json.JsonDocument;
import dev.nvjrun.runtime.network.state.JsonFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** Attachment records, one JSON file per container under {@code STATE/attachments}. */
final class AttachmentStore {
    private static final JsonDocument<AttachmentRecord> RECORD = JsonFile.document(AttachmentRecord.class);

    private final Path dir;

    AttachmentStore(Path stateDir) {
        this.dir = stateDir.resolve("attachments");
    }

    Optional<AttachmentRecord> find(String containerId) {
        return file(containerId).read();
    }

    List<AttachmentRecord> all() {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<AttachmentRecord> records = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path path : files.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList()) {
                JsonFile.of(path, RECORD).read().ifPresent(records::add);
            }
        } catch (IOException e) {
            throw new NetworkException("cannot list " + dir + ": " + e.getMessage()
                    + "; check the state directory's permissions", e);
        }
        return records;
    }

    List<AttachmentRecord> onNetwork(String network) {
        return all().stream().filter(r -> r.attachment().network().equals(network)).toList();
    }

    void save(AttachmentRecord record) {
        file(record.containerId()).write(record);
    }

    void delete(String containerId) {
        file(containerId).delete();
    }

    private JsonFile<AttachmentRecord> file(String containerId) {
        return JsonFile.of(dir.resolve(containerId + ".json"), RECORD);
    }
}
