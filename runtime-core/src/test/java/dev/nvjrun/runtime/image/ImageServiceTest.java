package dev.nvjrun.runtime.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nvjrun.runtime.layer.LayerException;
import dev.nvjrun.runtime.layer.NativeFiles;
import dev.nvjrun.runtime.layer.tar.TarFixture;
import dev.nvjrun.runtime.store.StoreException;
import dev.nvjrun.runtime.store.StoreLayout;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImageServiceTest {

    @TempDir
    Path tmp;
    Path root;
    ImageService images;
    final NativeFiles nativeFiles = new NativeFiles();

    @BeforeEach
    void store() {
        root = tmp.resolve("root");
        images = new ImageService(new StoreLayout(root), nativeFiles);
    }

    private Path layout(String refName) {
        return OciLayoutFixture.write(tmp.resolve("busybox-layout"), OciLayoutFixture.busyboxLayers(), refName);
    }

    @Test
    void loadsOciLayoutDirectoryAndUnpacksEachLayerWithWhiteouts() throws IOException {
        List<Image> loaded = images.load(layout("docker.io/library/busybox:test"));
        assertEquals(1, loaded.size());
        Image image = loaded.get(0);
        assertEquals(List.of("docker.io/library/busybox:test"), image.references());
        assertEquals(List.of("/bin/sh"), image.config().cmd());
        assertEquals("/opt", image.config().workingDir());
        assertEquals("12.4.1", image.config().labels().get("com.nvidia.cuda.version"));
        assertEquals(2, image.chainIds().size());
        List<Path> dirs = images.layerPaths(image);
        assertArrayEquals(OciLayoutFixture.busybox(), Files.readAllBytes(dirs.get(0).resolve("bin/busybox")));
        assertEquals(Path.of("busybox"), Files.readSymbolicLink(dirs.get(0).resolve("bin/sh")));
        assertEquals(0L, Files.getAttribute(dirs.get(1).resolve("etc/motd"), "unix:rdev", LinkOption.NOFOLLOW_LINKS));
        assertArrayEquals(new byte[] {'y'}, nativeFiles.lgetxattr(dirs.get(1).resolve("opt/data"), "trusted.overlay.opaque").orElseThrow());
        assertTrue(dirs.get(0).toString().length() < root.toString().length() + 16, "layer links are short: " + dirs.get(0));
        assertEquals(image, images.inspect("busybox:test"));
        JsonNode asJson = new ObjectMapper().valueToTree(image);
        assertEquals(image.id().toString(), asJson.path("id").asText(), "images --format json shows digests as text");
        assertEquals(image.chainIds().get(0).toString(), asJson.path("chainIds").path(0).asText());
        assertEquals(image, images.inspect(image.id().hex().substring(0, 12)));
    }

    @Test
    void namesBareTagOfOciLayoutAfterTheDirectory() {
        Image image = images.load(layout("v1")).get(0);
        assertEquals(List.of("localhost/busybox-layout:v1"), image.references());
    }

    @Test
    void loadsDockerArchiveMadeBySkopeo() {
        Path layout = layout("latest");
        Path archive = tmp.resolve("busybox.tar");
        OciLayoutFixture.run("skopeo", "skopeo", "copy", "--quiet", "oci:" + layout + ":latest",
                "docker-archive:" + archive + ":busybox:1.0");
        Image image = images.load(archive).get(0);
        assertEquals(List.of("docker.io/library/busybox:1.0"), image.references());
        Image fromLayout = new ImageService(new StoreLayout(tmp.resolve("other")), nativeFiles).load(layout).get(0);
        assertEquals(fromLayout.chainIds(), image.chainIds(), "the same layers whatever the archive format");
        assertTrue(Files.isRegularFile(images.layerPaths(image).get(0).resolve("bin/busybox")));
    }

    @Test
    void loadsDockerSaveArchiveInTheOciFormOfDocker25() throws IOException {
        Path layout = layout("latest");
        ObjectMapper mapper = new ObjectMapper();
        JsonNode index = mapper.readTree(layout.resolve("index.json").toFile());
        ((com.fasterxml.jackson.databind.node.ObjectNode) index.path("manifests").path(0).path("annotations"))
                .put("io.containerd.image.name", "docker.io/nvidia/cuda:12.4.1-base");
        mapper.writeValue(layout.resolve("index.json").toFile(), index);
        Path archive = tmp.resolve("docker25.tar");
        OciLayoutFixture.run("tar", "tar", "-C", layout.toString(), "-cf", archive.toString(), ".");
        Image image = images.load(archive).get(0);
        assertEquals(List.of("docker.io/nvidia/cuda:12.4.1-base"), image.references());
        assertEmpty(root.resolve("tmp"));
    }

    @Test
    void loadsOciArchiveMadeBySkopeo() {
        Path archive = tmp.resolve("busybox-oci.tar");
        OciLayoutFixture.run("skopeo", "skopeo", "copy", "--quiet", "oci:" + layout("latest") + ":latest",
                "oci-archive:" + archive + ":docker.io/library/busybox:oci");
        Image image = images.load(archive).get(0);
        assertEquals(List.of("docker.io/library/busybox:oci"), image.references());
        assertEquals(2, image.chainIds().size());
    }

    @Test
    void savesArchiveThatSkopeoReadsAndThatLoadsBackToTheSameImage() throws IOException {
        Image image = images.load(layout("docker.io/library/busybox:test")).get(0);
        Path archive = tmp.resolve("out/saved.tar");
        images.save(List.of("busybox:test"), archive);
        JsonNode inspected = new ObjectMapper().readTree(OciLayoutFixture.run("skopeo", "skopeo", "inspect",
                "docker-archive:" + archive));
        assertEquals(2, inspected.path("Layers").size());
        JsonNode byTag = new ObjectMapper().readTree(OciLayoutFixture.run("skopeo", "skopeo", "inspect",
                "docker-archive:" + archive + ":docker.io/library/busybox:test"));
        assertEquals(inspected.path("Digest"), byTag.path("Digest"), "skopeo finds the image by its saved tag");
        try (Stream<Path> siblings = Files.list(archive.getParent())) {
            assertEquals(List.of(archive), siblings.toList(), "no partial file left next to the archive");
        }
        ImageService fresh = new ImageService(new StoreLayout(tmp.resolve("fresh")), nativeFiles);
        Image reloaded = fresh.load(archive).get(0);
        assertEquals(image.id(), reloaded.id());
        assertEquals(image.chainIds(), reloaded.chainIds());
    }

    @Test
    void savesSeveralImagesIntoOneArchiveAndLoadsThemAll() {
        images.load(layout("docker.io/library/busybox:test"));
        Path tarball = tmp.resolve("rootfs.tar");
        try {
            Files.write(tarball, new TarFixture().file("etc/hostname", "box\n").tar());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        images.importRootfs(tarball, "imported:1");
        Path archive = tmp.resolve("both.tar");
        images.save(List.of("busybox:test", "imported:1"), archive);
        ImageService fresh = new ImageService(new StoreLayout(tmp.resolve("fresh")), nativeFiles);
        List<Image> loaded = fresh.load(archive);
        assertEquals(List.of(List.of("docker.io/library/busybox:test"), List.of("docker.io/library/imported:1")),
                loaded.stream().map(Image::references).toList());
    }

    @Test
    void refusesTruncatedArchiveAndLeavesNothing() throws IOException {
        images.load(layout("docker.io/library/busybox:test"));
        Path archive = tmp.resolve("whole.tar");
        images.save(List.of("busybox:test"), archive);
        byte[] whole = Files.readAllBytes(archive);
        Path cut = tmp.resolve("cut.tar");
        Files.write(cut, java.util.Arrays.copyOf(whole, whole.length / 2 + 100));
        ImageService fresh = new ImageService(new StoreLayout(tmp.resolve("fresh")), nativeFiles);
        RuntimeException e = assertThrows(RuntimeException.class, () -> fresh.load(cut));
        assertTrue(e.getMessage().contains(cut.toString()), e.getMessage());
        assertEquals(List.of(), fresh.list());
        assertEmpty(tmp.resolve("fresh/tmp"));
        ImageException missing = assertThrows(ImageException.class, () -> fresh.load(tmp.resolve("absent.tar")));
        assertTrue(missing.getMessage().contains("does not exist"), missing.getMessage());
    }

    @Test
    void importsRootFileSystemTarball() throws IOException {
        Path tarball = tmp.resolve("rootfs.tar.gz");
        Files.write(tarball, TarFixture.gzip(new TarFixture().file("etc/hostname", "box\n").tar()));
        Image image = images.importRootfs(tarball, "example/rootfs:1");
        assertEquals(List.of("docker.io/example/rootfs:1"), image.references());
        assertEquals("box\n", Files.readString(images.layerPaths(image).get(0).resolve("etc/hostname")));
        assertEquals("amd64", image.config().architecture());
    }

    @Test
    void refusedRootfsTarballLeavesNoBlobBehind() throws IOException {
        byte[] gzip = TarFixture.gzip(new TarFixture().file("etc/hostname", "box\n").binary("big", new byte[200_000], 0644).tar());
        Path truncated = tmp.resolve("truncated.tar.gz");
        Files.write(truncated, java.util.Arrays.copyOf(gzip, gzip.length / 2));
        ImageException cut = assertThrows(ImageException.class, () -> images.importRootfs(truncated, "cut:1"));
        assertTrue(cut.getMessage().contains("complete tar file"), cut.getMessage());
        Path hostile = tmp.resolve("hostile.tar");
        Files.write(hostile, new TarFixture().file("../escape", "x").tar());
        assertThrows(LayerException.class, () -> images.importRootfs(hostile, "evil:1"));
        assertEquals(new StoreUsage(0, 0, 0, 0, 0), images.diskUsage());
        assertEmpty(root.resolve("tmp"));
        assertFalse(Files.exists(tmp.resolve("escape")));
    }

    @Test
    void tagAndRemoveLeaveNothingBehind() throws IOException {
        Image image = images.load(layout("docker.io/library/busybox:test")).get(0);
        images.tag("busybox:test", "localhost:5000/mine:2");
        assertEquals(List.of("docker.io/library/busybox:test", "localhost:5000/mine:2"), images.inspect("busybox:test").references());
        ImageService.Removal untag = images.remove("busybox:test", false);
        assertEquals(List.of("docker.io/library/busybox:test"), untag.untagged());
        assertEquals(List.of(), untag.deleted());
        assertEquals(image.id(), images.inspect("localhost:5000/mine:2").id());
        ImageService.Removal last = images.remove("localhost:5000/mine:2", false);
        assertEquals(List.of(image.id()), last.deleted());
        assertEquals(List.of(), images.list());
        assertEquals(new StoreUsage(0, 0, 0, 0, 0), images.diskUsage());
        assertEmpty(root.resolve("l"));
        assertEmpty(root.resolve("layers"));
        assertEmpty(root.resolve("tmp"));
    }

    @Test
    void removingByIdWithSeveralNamesNeedsForce() {
        Image image = images.load(layout("docker.io/library/busybox:test")).get(0);
        images.tag(image.id().toString(), "other:1");
        ImageException e = assertThrows(ImageException.class, () -> images.remove(image.id().hex(), false));
        assertTrue(e.getMessage().contains("several names"), e.getMessage());
        assertEquals(2, images.remove(image.id().hex(), true).untagged().size());
        assertEquals(List.of(), images.list());
    }

    @Test
    void pruneRemovesUnusedBlobsAndLeftovers() throws IOException {
        images.load(layout("docker.io/library/busybox:test"));
        Files.createDirectories(root.resolve("tmp/layer-crashed/diff"));
        images.content().put("orphan".getBytes());
        StoreUsage before = images.diskUsage();
        assertEquals(0, images.prune(), "fresh leftovers may belong to a running command and are kept");
        assertTrue(Files.exists(root.resolve("tmp/layer-crashed")));
        assertEquals(1, images.prune(java.time.Duration.ZERO));
        assertEquals(before.blobs() - 1, images.diskUsage().blobs());
        assertEmpty(root.resolve("tmp"));
        assertEquals(1, images.list().size());
    }

    @Test
    void refusesUnknownImageWithAHint() {
        ImageException e = assertThrows(ImageException.class, () -> images.inspect("nosuch:1"));
        assertTrue(e.getMessage().contains("nosuch:1") && e.getMessage().contains("pull, load or import"), e.getMessage());
    }

    @Test
    void refusesLayoutWithHostileLayerAndIndexesNothing() throws IOException {
        Path layout = OciLayoutFixture.write(tmp.resolve("evil"), List.of(new TarFixture().file("../escape", "x").tar()), "latest");
        assertThrows(LayerException.class, () -> images.load(layout));
        assertEquals(List.of(), images.list());
        assertEmpty(root.resolve("layers"));
        assertEmpty(root.resolve("tmp"));
        assertFalse(Files.exists(tmp.resolve("escape")));
    }

    @Test
    void refusesLayoutWhoseBlobDoesNotMatchItsDigest() throws IOException {
        Path layout = layout("latest");
        try (Stream<Path> blobs = Files.list(layout.resolve("blobs/sha256"))) {
            Path victim = blobs.filter(p -> {
                try {
                    return Files.size(p) > 100_000;
                } catch (IOException e) {
                    return false;
                }
            }).findFirst().orElseThrow();
            byte[] bytes = Files.readAllBytes(victim);
            bytes[bytes.length / 2] ^= 1;
            Files.write(victim, bytes);
        }
        StoreException e = assertThrows(StoreException.class, () -> images.load(layout));
        assertTrue(e.getMessage().contains("failed verification"), e.getMessage());
        assertEquals(List.of(), images.list());
        assertEquals(0, images.content().list().stream().filter(d -> images.content().size(d) > 100_000).count());
    }

    @Test
    void refusesArchiveThatIsNoImage() throws IOException {
        Path archive = tmp.resolve("random.tar");
        Files.write(archive, new TarFixture().file("hello", "x").tar());
        ImageException e = assertThrows(ImageException.class, () -> images.load(archive));
        assertTrue(e.getMessage().contains("neither a docker save archive"), e.getMessage());
        assertEmpty(root.resolve("tmp"));
    }

    @Test
    void failureMidUnpackLeavesAStoreTheNextLoadCanUse() throws IOException {
        NativeFiles failing = org.mockito.Mockito.spy(new NativeFiles());
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        org.mockito.Mockito.doAnswer(invocation -> {
            if (calls.incrementAndGet() == 3) {
                throw new IOException("No space left on device");
            }
            return invocation.callRealMethod();
        }).when(failing).lchown(org.mockito.ArgumentMatchers.any(), org.mockito.ArgumentMatchers.anyLong(),
                org.mockito.ArgumentMatchers.anyLong());
        Path layout = layout("docker.io/library/busybox:test");
        ImageService broken = new ImageService(new StoreLayout(root), failing);
        RuntimeException e = assertThrows(RuntimeException.class, () -> broken.load(layout));
        assertTrue(e.getMessage().contains("No space left on device"), e.getMessage());
        assertEquals(List.of(), broken.list());
        assertEmpty(root.resolve("tmp"));

        Image image = images.load(layout).get(0);
        assertEquals(2, image.chainIds().size());
        assertTrue(Files.isRegularFile(images.layerPaths(image).get(0).resolve("bin/busybox")));
    }

    @Test
    void dockerLoadsTheSavedArchive() throws IOException {
        boolean daemon;
        try {
            daemon = new ProcessBuilder("docker", "info").redirectErrorStream(true).start().waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            daemon = false;
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(daemon, "no Docker daemon answers here; docker load is checked where one runs");
        images.load(layout("docker.io/library/nvjrun-save-test:1"));
        Path archive = tmp.resolve("for-docker.tar");
        images.save(List.of("nvjrun-save-test:1"), archive);
        String output = OciLayoutFixture.run("docker.io", "docker", "load", "-i", archive.toString());
        assertTrue(output.contains("nvjrun-save-test:1"), output);
        OciLayoutFixture.run("docker.io", "docker", "rmi", "nvjrun-save-test:1");
    }

    private static void assertEmpty(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> entries = Files.list(dir)) {
            assertEquals(List.of(), entries.toList(), dir + " is empty");
        }
    }
}
