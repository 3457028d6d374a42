package dev.nvjrun.e2e.image;

import dev.nvjrun.runtime.image.registry.LocalRegistry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged {@code nvjrun} against a real registry: a fresh --root pulls a two-layer image
 * that skopeo pushed to Debian's docker-registry, lists, saves, removes, loads the saved archive
 * again, and after rmi and system prune holds no content.
 */
class ImageLifecycleTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path tmp;
    static LocalRegistry registry;
    static String image;

    @BeforeAll
    static void pushImage() throws Exception {
        registry = LocalRegistry.start(tmp.resolve("registry"));
        Path layout = TwoLayerImage.write(tmp.resolve("image"), "1");
        image = registry.address() + "/e2e/busybox:1";
        TwoLayerImage.run("skopeo", "skopeo", "copy", "--quiet", "--dest-tls-verify=false",
                "oci:" + layout + ":1", "docker://" + image);
    }

    @AfterAll
    static void stopRegistry() {
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    void freshRootPullsListsSavesRemovesLoadsAndEndsEmpty() throws Exception {
        Path root = tmp.resolve("root");
        String nvjrun = "nvjrun --root " + root + " ";

        Result pull = sh(nvjrun + "pull " + image);
        assertEquals(0, pull.status(), pull.err());
        assertTrue(pull.out().startsWith("1: Pulling from " + registry.address() + "/e2e/busybox\n"), pull.out());
        assertEquals(2, pull.out().lines().filter(l -> l.endsWith(": Pull complete")).count(), pull.out());
        assertTrue(pull.out().contains("Status: Downloaded newer image for " + image), pull.out());
        Result again = sh(nvjrun + "pull --insecure-registry " + registry.address() + " " + image);
        assertEquals(0, again.status(), again.err());
        assertEquals(2, again.out().lines().filter(l -> l.endsWith(": Already exists")).count(), again.out());
        assertTrue(again.out().contains("Status: Image is up to date for " + image), again.out());

        JsonNode inspected = JSON.readTree(sh(nvjrun + "image inspect " + image).out()).get(0);
        String id = inspected.path("Id").asText();
        assertEquals("12.4.1", inspected.path("Config").path("Labels").path("com.nvidia.cuda.version").asText());
        assertEquals(2, inspected.path("RootFS").path("Layers").size());
        assertEquals(id.substring(7, 19) + "\n", sh(nvjrun + "images -q").out());
        String table = sh(nvjrun + "images").out();
        assertTrue(table.lines().skip(1).findFirst().orElse("").startsWith(registry.address() + "/e2e/busybox "), table);
        assertUpperLayerIsOverlayForm(root);

        Path archive = tmp.resolve("saved/busybox.tar");
        assertEquals(0, sh(nvjrun + "save -o " + archive + " " + image).status());
        JsonNode skopeo = JSON.readTree(TwoLayerImage.run("skopeo", "skopeo", "inspect", "docker-archive:" + archive));
        assertEquals(2, skopeo.path("Layers").size());
        Result rmi = sh(nvjrun + "rmi " + image);
        assertEquals("Untagged: " + image + "\nDeleted: " + id + "\n", rmi.out(), rmi.err());
        assertEquals(List.of(), content(root));

        Result load = sh(nvjrun + "load < " + archive);
        assertEquals("Loaded image: " + image + "\n", load.out(), load.err());
        assertEquals(id, JSON.readTree(sh(nvjrun + "image inspect " + image).out()).get(0).path("Id").asText(),
                "the saved archive loads back to the same image");
        assertEquals(0, sh(nvjrun + "rmi " + id.substring(7, 19)).status());
        Result prune = sh(nvjrun + "system prune -f");
        assertEquals(0, prune.status(), prune.err());
        assertEquals(List.of(), content(root), "nothing is left but the empty index and the lock");
        assertEquals(List.of("images.json", "store.lock"), regularFiles(root).stream()
                .map(p -> root.relativize(p).toString()).sorted().toList());
    }

    @Test
    void pullOnATerminalRedrawsALinePerLayerInPlace() throws Exception {
        Path root = tmp.resolve("terminal");
        // script(1) from bsdutils gives the command a pseudo-terminal as its standard output
        Result pull = sh("script -qec 'nvjrun --root " + root + " pull " + image + "' /dev/null");
        assertEquals(0, pull.status(), pull.out() + pull.err());
        assertTrue(pull.out().contains("\u001b[2K"), "lines are cleared and redrawn: " + pull.out());
        assertTrue(pull.out().contains("\u001b[2A"), "the cursor goes back over both layer lines: " + pull.out());
        assertTrue(pull.out().contains("Downloading") && pull.out().contains("Pull complete"), pull.out());
        Result plain = sh("nvjrun --root " + tmp.resolve("plain") + " pull " + image);
        assertTrue(!plain.out().contains("\u001b["), "no escapes when the output is not a terminal: " + plain.out());
    }

    @Test
    void unknownImageAndMissingRegistryAreOwnFailures() throws Exception {
        Path root = tmp.resolve("errors");
        Result unknown = sh("nvjrun --root " + root + " rmi nosuch:1");
        assertEquals(125, unknown.status());
        assertEquals(1, unknown.err().strip().lines().count(), unknown.err());
        assertTrue(unknown.err().startsWith("nvjrun: image nosuch:1 is not in the store"), unknown.err());
        Result absent = sh("nvjrun --root " + root + " pull " + registry.address() + "/e2e/absent:1");
        assertEquals(125, absent.status(), absent.out());
        assertTrue(absent.err().startsWith("nvjrun: ") && absent.err().contains("e2e/absent"), absent.err());
        assertEquals(List.of(), content(root));
    }

    /** The upper layer's deletion is a 0/0 character device and its opaque directory carries the xattr. */
    private static void assertUpperLayerIsOverlayForm(Path root) throws Exception {
        Path whiteout;
        try (Stream<Path> files = Files.walk(root.resolve("layers"))) {
            whiteout = files.filter(p -> p.endsWith("diff/etc/motd") && !Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
                    .findFirst().orElseThrow(() -> new AssertionError("no whiteout for etc/motd under " + root));
        }
        assertEquals(0L, Files.getAttribute(whiteout, "unix:rdev", LinkOption.NOFOLLOW_LINKS));
        Path opaque = whiteout.getParent().getParent().resolve("opt/data");
        assertEquals("new\n", Files.readString(opaque.resolve("new")));
        Result xattr = sh("getfattr --only-values -n trusted.overlay.opaque " + opaque);
        if (xattr.err().contains("not found")) {
            throw new IllegalStateException("test needs getfattr: apt-get install attr");
        }
        assertEquals("y", xattr.out(), xattr.err());
    }

    /** Blobs, layers, layer links and scratch files under the root. */
    private static List<Path> content(Path root) throws IOException {
        return regularFiles(root).stream()
                .filter(p -> !p.equals(root.resolve("images.json")) && !p.equals(root.resolve("store.lock")))
                .toList();
    }

    private static List<Path> regularFiles(Path root) throws IOException {
        if (!Files.exists(root)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(p -> !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)).toList();
        }
    }

    record Result(int status, String out, String err) {
    }

    /** Runs a shell line with the packaged build/bin first on PATH, as a user would. */
    private static Result sh(String script) throws IOException, InterruptedException {
        String dist = System.getProperty("nvjrun.dist");
        if (dist == null || !Files.isExecutable(Path.of(dist, "bin", "nvjrun"))) {
            throw new IllegalStateException("build/bin/nvjrun is missing (nvjrun.dist=" + dist + "); run `make build`");
        }
        ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", script);
        pb.environment().put("PATH", Path.of(dist, "bin") + ":" + System.getenv("PATH"));
        pb.environment().keySet().removeIf(k -> k.startsWith("NVJRUN_"));
        Path err = Files.createTempFile("nvjrun-e2e", ".err");
        try {
            Process p = pb.redirectError(err.toFile()).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(300, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("timed out: " + script);
            }
            return new Result(p.exitValue(), out, Files.readString(err));
        } finally {
            Files.deleteIfExists(err);
        }
    }
}
