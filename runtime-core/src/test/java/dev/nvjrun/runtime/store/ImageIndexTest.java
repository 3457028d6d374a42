package dev.nvjrun.runtime.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImageIndexTest {

    private static final String MANIFEST = "sha256:" + "a".repeat(64);
    private static final String CONFIG = "sha256:" + "b".repeat(64);
    private static final IndexedImage IMAGE = new IndexedImage(MANIFEST, CONFIG,
            List.of("sha256:" + "c".repeat(64), "sha256:" + "d".repeat(64)), 1986560, "2026-11-22T03:20:53.727907532Z");

    @TempDir
    Path tmp;

    private ImageIndex index() {
        StoreLayout layout = new StoreLayout(tmp);
        return new ImageIndex(layout, new StoreLock(tmp.resolve("store.lock")));
    }

    private void store(ImageIndex index) {
        index.update(c -> {
            c.images().put(MANIFEST, IMAGE);
            c.references().put("docker.io/library/busybox:latest", MANIFEST);
            c.references().put("docker.io/library/busybox:1", MANIFEST);
            return null;
        });
    }

    @Test
    void missingIndexReadsAsEmpty() {
        ImageIndex.Contents contents = index().read();
        assertEquals(1, contents.version());
        assertTrue(contents.references().isEmpty());
        assertTrue(contents.images().isEmpty());
    }

    @Test
    void keepsImagesAndReferencesAcrossInstances() {
        store(index());
        ImageIndex again = index();
        assertEquals(Optional.of(IMAGE), again.image(MANIFEST));
        assertEquals(Optional.of(MANIFEST), again.resolve("docker.io/library/busybox:1"));
        assertEquals(List.of("docker.io/library/busybox:1", "docker.io/library/busybox:latest"),
                again.read().referencesTo(MANIFEST));
    }

    @Test
    void writesTheSameBytesAsTheDataBindingItReplaced() throws Exception {
        ImageIndex index = index();
        store(index);
        ObjectMapper binding = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        byte[] expected = binding.writeValueAsBytes(index.read());
        assertArrayEquals(expected, Files.readAllBytes(tmp.resolve("images.json")));
    }

    @Test
    void readsWhatTheDataBindingWrote() throws Exception {
        ImageIndex.Contents written = new ImageIndex.Contents(1, Map.of("docker.io/library/busybox:1", MANIFEST),
                Map.of(MANIFEST, new IndexedImage(MANIFEST, CONFIG, List.of(), 0, null)));
        Files.write(tmp.resolve("images.json"), new ObjectMapper().writeValueAsBytes(written));
        assertEquals(written, index().read());
    }

    @Test
    void skipsFieldsItDoesNotKnow() throws Exception {
        Files.writeString(tmp.resolve("images.json"), """
                {"version": 1, "future": {"a": [1, {"b": null}]},
                 "references": {"docker.io/library/busybox:1": "%s"},
                 "images": {"%s": {"manifest": "%s", "config": "%s", "chainIds": [], "size": 5,
                                   "added": null, "labels": ["x"]}}}
                """.formatted(MANIFEST, MANIFEST, MANIFEST, CONFIG));
        ImageIndex.Contents contents = index().read();
        assertEquals(new IndexedImage(MANIFEST, CONFIG, List.of(), 5, null), contents.images().get(MANIFEST));
        assertEquals(MANIFEST, contents.references().get("docker.io/library/busybox:1"));
    }

    @Test
    void refusesTruncatedIndexNamingTheFile() throws Exception {
        store(index());
        byte[] whole = Files.readAllBytes(tmp.resolve("images.json"));
        Files.write(tmp.resolve("images.json"), java.util.Arrays.copyOf(whole, whole.length / 2));
        StoreException e = assertThrows(StoreException.class, () -> index().read());
        assertTrue(e.getMessage().startsWith("the image index " + tmp.resolve("images.json") + " is unreadable"), e.getMessage());
        assertTrue(e.getMessage().contains("remove it and load the images again"), e.getMessage());
    }

    @Test
    void refusesValuesOfTheWrongType() throws Exception {
        for (String bad : List.of("[]", "{\"version\": \"one\"}", "{\"references\": {\"a\": 5}}",
                "{\"images\": {\"x\": {\"manifest\": \"m\", \"config\": \"c\"}}}",
                "{\"images\": {\"x\": {\"manifest\": \"m\", \"config\": \"c\", \"chainIds\": [1]}}}", "")) {
            Files.writeString(tmp.resolve("images.json"), bad);
            StoreException e = assertThrows(StoreException.class, () -> index().read(), bad);
            assertTrue(e.getMessage().contains("is unreadable"), e.getMessage());
        }
    }

    @Test
    void failedChangeLeavesTheIndexAsItWas() throws Exception {
        ImageIndex index = index();
        store(index);
        byte[] before = Files.readAllBytes(tmp.resolve("images.json"));
        assertThrows(IllegalStateException.class, () -> index.update(c -> {
            c.references().clear();
            throw new IllegalStateException("change refused");
        }));
        assertArrayEquals(before, Files.readAllBytes(tmp.resolve("images.json")));
        try (var files = Files.list(tmp)) {
            assertEquals(List.of("images.json", "store.lock"),
                    files.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }

    @Test
    void refusesAnIndexThatIsADirectory() throws Exception {
        Files.createDirectories(tmp.resolve("images.json"));
        StoreException e = assertThrows(StoreException.class, () -> index().read());
        assertTrue(e.getMessage().contains(tmp.resolve("images.json").toString()), e.getMessage());
    }
}
