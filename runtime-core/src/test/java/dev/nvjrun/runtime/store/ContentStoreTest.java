package dev.nvjrun.runtime.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ContentStoreTest {

    @TempDir
    Path tmp;

    private static final byte[] HELLO = "hello".getBytes(StandardCharsets.UTF_8);
    private static final Digest HELLO_DIGEST = Digest.parse("sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824");

    @Test
    void storesBlobUnderItsSha256() {
        StoreLayout layout = new StoreLayout(tmp);
        ContentStore store = new ContentStore(layout);
        assertEquals(HELLO_DIGEST, store.put(HELLO));
        assertTrue(Files.isRegularFile(tmp.resolve("blobs/sha256/" + HELLO_DIGEST.hex())));
        assertArrayEquals(HELLO, store.read(HELLO_DIGEST));
        assertEquals(List.of(HELLO_DIGEST), store.list());
    }

    @Test
    void refusesContentThatDoesNotMatchItsDigestAndLeavesNothing() throws IOException {
        ContentStore store = new ContentStore(new StoreLayout(tmp));
        Digest claimed = Digest.of("something else".getBytes(StandardCharsets.UTF_8));
        StoreException e = assertThrows(StoreException.class, () -> store.ingest(new ByteArrayInputStream(HELLO), claimed, -1));
        assertTrue(e.getMessage().contains("failed verification") && e.getMessage().contains(claimed.toString()), e.getMessage());
        assertFalse(store.contains(claimed));
        assertEquals(List.of(), store.list());
        assertEmpty(tmp.resolve("blobs/ingest"));
    }

    @Test
    void refusesContentOfTheWrongSize() throws IOException {
        ContentStore store = new ContentStore(new StoreLayout(tmp));
        StoreException e = assertThrows(StoreException.class, () -> store.ingest(new ByteArrayInputStream(HELLO), HELLO_DIGEST, 6));
        assertTrue(e.getMessage().contains("were announced"), e.getMessage());
        assertFalse(store.contains(HELLO_DIGEST));
        assertEmpty(tmp.resolve("blobs/ingest"));
    }

    @Test
    void streamThatFailsMidwayLeavesNothingVisible() throws IOException {
        ContentStore store = new ContentStore(new StoreLayout(tmp));
        InputStream failing = new InputStream() {
            int served;

            @Override
            public int read() throws IOException {
                if (served++ > 10) {
                    throw new IOException("connection reset");
                }
                return 'x';
            }
        };
        StoreException e = assertThrows(StoreException.class, () -> store.ingest(failing, HELLO_DIGEST, -1));
        assertTrue(e.getMessage().contains("connection reset"), e.getMessage());
        assertEquals(List.of(), store.list());
        assertEmpty(tmp.resolve("blobs/ingest"));
    }

    @Test
    void refusesMalformedDigests() {
        assertTrue(assertThrows(StoreException.class, () -> Digest.parse("sha256:xyz")).getMessage().contains("malformed"));
        assertTrue(assertThrows(StoreException.class, () -> Digest.parse("md5:" + "a".repeat(32))).getMessage()
                .contains("only sha256"));
        assertTrue(assertThrows(StoreException.class, () -> Digest.parse("abc")).getMessage().contains("no algorithm"));
    }

    @Test
    void concurrentIndexUpdatesLoseNothing() throws Exception {
        StoreLayout layout = new StoreLayout(tmp);
        // two locks on one file, as two services on one root in one JVM would have
        ImageIndex index = new ImageIndex(layout, new StoreLock(layout.lockFile()));
        ImageIndex other = new ImageIndex(layout, new StoreLock(layout.lockFile()));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> futures = new java.util.ArrayList<>();
            for (int i = 0; i < 40; i++) {
                int n = i;
                ImageIndex writer = n % 2 == 0 ? index : other;
                futures.add(pool.submit(() -> writer.update(s -> s.references().put("docker.io/library/x:" + n, HELLO_DIGEST.toString()))));
            }
            for (Future<?> future : futures) {
                future.get();
            }
        } finally {
            pool.shutdown();
        }
        assertEquals(40, index.read().references().size());
        try (Stream<Path> files = Files.list(tmp)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temporary index files left");
        }
    }

    @Test
    void refusesCorruptIndexWithAFix() throws IOException {
        StoreLayout layout = new StoreLayout(tmp);
        Files.writeString(layout.imageIndex(), "{not json");
        ImageIndex index = new ImageIndex(layout, new StoreLock(layout.lockFile()));
        StoreException e = assertThrows(StoreException.class, index::read);
        assertTrue(e.getMessage().contains("images.json") && e.getMessage().contains("load the images again"), e.getMessage());
    }

    @Test
    void resolvesRootFromOptionThenEnvironmentThenDefault() {
        assertEquals(Path.of("/a"), StoreLayout.resolve("/a", "/b").root());
        assertEquals(Path.of("/b"), StoreLayout.resolve(null, "/b").root());
        assertEquals(Path.of("/var/lib/nvjrun"), StoreLayout.resolve(null, null).root());
    }

    private static void assertEmpty(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> entries = Files.list(dir)) {
            assertEquals(List.of(), entries.toList());
        }
    }
}
