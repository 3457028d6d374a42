package dev.nvjrun.runtime.store;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
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
 *
 * <p>The file is read and written with Jackson's streaming parser rather than data binding: every
 * {@code nvjrun run} reads it, and binding the records by reflection cost about 50 ms of a cold JVM
 * (an ObjectMapper and its introspection of {@link Contents} and {@link IndexedImage}) against
 * about 1 ms for the stream. The format is unchanged: unknown fields are skipped, output is
 * indented as before.
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
    private final JsonFactory json = new JsonFactory();

    public ImageIndex(StoreLayout layout, StoreLock lock) {
        this.layout = layout;
        this.lock = lock;
    }

    public Contents read() {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(layout.imageIndex());
        } catch (NoSuchFileException e) {
            return Contents.empty();
        } catch (IOException e) {
            throw unreadable(e);
        }
        try (JsonParser parser = json.createParser(bytes)) {
            return contents(parser);
        } catch (IOException e) {
            throw unreadable(e);
        }
    }

    /** Applies {@code change} to the current index under the lock and persists the result. */
    public <T> T update(Function<Contents, T> change) {
        return lock.underLock(() -> {
            Contents current = read();
            T result = change.apply(current);
            new AtomicFile(layout.imageIndex()).write(encode(current));
            return result;
        });
    }

    public Optional<IndexedImage> image(String manifest) {
        return Optional.ofNullable(read().images().get(manifest));
    }

    public Optional<String> resolve(String reference) {
        return Optional.ofNullable(read().references().get(reference));
    }

    private StoreException unreadable(IOException e) {
        return new StoreException("the image index " + layout.imageIndex() + " is unreadable (" + e.getMessage()
                + "); restore it from a backup or remove it and load the images again", e);
    }

    private static Contents contents(JsonParser p) throws IOException {
        expect(p, p.nextToken(), JsonToken.START_OBJECT, "the index");
        int version = 1;
        Map<String, String> references = Map.of();
        Map<String, IndexedImage> images = Map.of();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            switch (field) {
                case "version" -> {
                    expect(p, value, JsonToken.VALUE_NUMBER_INT, "version");
                    version = p.getIntValue();
                }
                case "references" -> references = value == JsonToken.VALUE_NULL ? Map.of() : references(p, value);
                case "images" -> images = value == JsonToken.VALUE_NULL ? Map.of() : images(p, value);
                default -> p.skipChildren();
            }
        }
        expect(p, p.currentToken(), JsonToken.END_OBJECT, "the end of the index");
        return new Contents(version, references, images);
    }

    private static Map<String, String> references(JsonParser p, JsonToken start) throws IOException {
        expect(p, start, JsonToken.START_OBJECT, "references");
        Map<String, String> references = new TreeMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            references.put(name, string(p, p.nextToken(), "the digest of " + name));
        }
        return references;
    }

    private static Map<String, IndexedImage> images(JsonParser p, JsonToken start) throws IOException {
        expect(p, start, JsonToken.START_OBJECT, "images");
        Map<String, IndexedImage> images = new TreeMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            images.put(key, image(p, key));
        }
        return images;
    }

    private static IndexedImage image(JsonParser p, String key) throws IOException {
        expect(p, p.nextToken(), JsonToken.START_OBJECT, "image " + key);
        String manifest = null;
        String config = null;
        List<String> chainIds = null;
        long size = 0;
        String added = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            switch (field) {
                case "manifest" -> manifest = string(p, value, "the manifest of image " + key);
                case "config" -> config = string(p, value, "the config of image " + key);
                case "chainIds" -> chainIds = strings(p, value, "the chain ids of image " + key);
                case "size" -> {
                    expect(p, value, JsonToken.VALUE_NUMBER_INT, "the size of image " + key);
                    size = p.getLongValue();
                }
                case "added" -> added = value == JsonToken.VALUE_NULL ? null : string(p, value, "the date image " + key + " was added");
                default -> p.skipChildren();
            }
        }
        if (manifest == null || config == null || chainIds == null) {
            throw new JsonParseException(p, "image " + key + " lacks its manifest, config or chain ids");
        }
        return new IndexedImage(manifest, config, chainIds, size, added);
    }

    private static List<String> strings(JsonParser p, JsonToken start, String what) throws IOException {
        expect(p, start, JsonToken.START_ARRAY, what);
        List<String> values = new ArrayList<>();
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            values.add(string(p, t, what));
        }
        return values;
    }

    private static String string(JsonParser p, JsonToken t, String what) throws IOException {
        expect(p, t, JsonToken.VALUE_STRING, what);
        return p.getText();
    }

    private static void expect(JsonParser p, JsonToken actual, JsonToken expected, String what) throws IOException {
        if (actual != expected) {
            throw new JsonParseException(p, "expected " + what + " to be " + describe(expected) + " but found "
                    + (actual == null ? "the end of the file" : describe(actual)));
        }
    }

    private static String describe(JsonToken t) {
        return switch (t) {
            case START_OBJECT, END_OBJECT -> "an object";
            case START_ARRAY, END_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT -> "an integer";
            case VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> t.asString() == null ? t.name() : t.asString();
        };
    }

    private byte[] encode(Contents contents) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = json.createGenerator(out)) {
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            g.writeNumberField("version", contents.version());
            g.writeObjectFieldStart("references");
            for (Map.Entry<String, String> reference : contents.references().entrySet()) {
                g.writeStringField(reference.getKey(), reference.getValue());
            }
            g.writeEndObject();
            g.writeObjectFieldStart("images");
            for (Map.Entry<String, IndexedImage> entry : contents.images().entrySet()) {
                IndexedImage image = entry.getValue();
                g.writeObjectFieldStart(entry.getKey());
                g.writeStringField("manifest", image.manifest());
                g.writeStringField("config", image.config());
                g.writeArrayFieldStart("chainIds");
                for (String chainId : image.chainIds()) {
                    g.writeString(chainId);
                }
                g.writeEndArray();
                g.writeNumberField("size", image.size());
                g.writeStringField("added", image.added());
                g.writeEndObject();
            }
            g.writeEndObject();
            g.writeEndObject();
        } catch (IOException e) {
            throw new StoreException("cannot encode the image index: " + e.getMessage(), e);
        }
        return out.toByteArray();
    }
}
