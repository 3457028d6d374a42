package dev.nvjrun.runtime.store;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Names and tags to images, kept in {@code images.json}. Every change reads the file, applies
 * the change and writes it back atomically while holding the store lock, so concurrent commands
 * never lose each other's tags and a crash leaves either the old or the new index.
 */
public final class ImageIndex {

    /** The persisted form; references map a normalised reference to a manifest digest. */
    public record Contents(int version, Map<String, String> references, Map<String, IndexedImage> images) {
        public Contents {
            references = new TreeMap<>(references == null ? Map.of() : references);
            images = new TreeMap<>(images == null ? Map.of() : images);
        }

        static Contents empty() {
            return new Contents(1, Map.of(), Map.of());
        }

        public List<String> referencesTo(String manifest) {
            List<String> names = new ArrayList<>();
            references.forEach((name, digest) -> {
                if (digest.equals(manifest)) {
                    names.add(name);
                }
            });
            return names;
        }
    }

    private final StoreLayout layout;
    private final StoreLock lock;
    private final ObjectMapper json = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(SerializationFeature.INDENT_OUTPUT);

    public ImageIndex(StoreLayout layout, StoreLock lock) {
        this.layout = layout;
        this.lock = lock;
    }

    public Contents read() {
        if (!Files.exists(layout.imageIndex())) {
            return Contents.empty();
        }
        try {
            return json.readValue(layout.imageIndex().toFile(), Contents.class);
        } catch (IOException e) {
            throw new StoreException("the image index " + layout.imageIndex() + " is unreadable (" + e.getMessage()
                    + "); restore it from a backup or remove it and load the images again", e);
        }
    }

    /** Applies {@code change} to the current index under the lock and persists the result. */
    public <T> T update(Function<Contents, T> change) {
        return lock.underLock(() -> {
            Contents current = read();
            T result = change.apply(current);
            try {
                new AtomicFile(layout.imageIndex()).write(json.writeValueAsBytes(current));
            } catch (IOException e) {
                throw new StoreException("cannot encode the image index: " + e.getMessage(), e);
            }
            return result;
        });
    }

    public Optional<IndexedImage> image(String manifest) {
        return Optional.ofNullable(read().images().get(manifest));
    }

    public Optional<String> resolve(String reference) {
        return Optional.ofNullable(read().references().get(reference));
    }
}
