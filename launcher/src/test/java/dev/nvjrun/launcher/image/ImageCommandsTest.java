package dev.nvjrun.launcher.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nvjrun.launcher.CommandLineTest;
import dev.nvjrun.launcher.CommandLineTest.Run;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The image commands through the real command line, against a temporary --root. */
class ImageCommandsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;
    Path root;
    Path tarball;

    @BeforeEach
    void rootfs() throws IOException {
        root = tmp.resolve("root");
        tarball = RootfsTarball.busybox(tmp.resolve("src"), "hello\n");
    }

    private Run nvjrun(String... args) {
        List<String> all = new ArrayList<>(List.of("--root", root.toString()));
        all.addAll(Arrays.asList(args));
        return CommandLineTest.run(all.toArray(String[]::new));
    }

    private Run ok(String... args) {
        Run r = nvjrun(args);
        assertEquals(0, r.status(), String.join(" ", args) + ": " + r.err());
        return r;
    }

    private String importBusybox(String name) {
        String id = ok("import", tarball.toString(), name).out().strip();
        assertTrue(id.matches("sha256:[a-f0-9]{64}"), id);
        return id;
    }

    @Test
    void importedImageIsListedWithDockerColumns() {
        String id = importBusybox("bb:1");
        String[] lines = ok("images").out().split("\n");
        assertEquals(List.of("REPOSITORY", "TAG", "IMAGE", "ID", "CREATED", "SIZE"), List.of(lines[0].trim().split("\\s+")));
        assertEquals(2, lines.length, String.join("\n", lines));
        List<String> row = List.of(lines[1].trim().split("\\s+"));
        assertEquals(List.of("bb", "1", id.substring(7, 19)), row.subList(0, 3));
        assertTrue(lines[1].contains("ago"), lines[1]);
        assertTrue(lines[1].strip().matches(".*\\d(\\.\\d+)?[kM]B$"), lines[1]);
        assertEquals(id.substring(7, 19) + "\n", ok("images", "-q").out());
        assertEquals(ok("images").out(), ok("image", "ls").out());
    }

    @Test
    void imagesFormatJsonPrintsOneObjectPerName() throws IOException {
        String id = importBusybox("bb:1");
        ok("tag", "bb:1", "localhost:5000/team/bb:2");
        List<JsonNode> rows = new ArrayList<>();
        for (String line : ok("images", "--format", "json").out().split("\n")) {
            rows.add(JSON.readTree(line));
        }
        assertEquals(2, rows.size());
        assertEquals(List.of("bb", "localhost:5000/team/bb"), rows.stream().map(r -> r.path("Repository").asText()).sorted().toList());
        assertTrue(rows.stream().allMatch(r -> r.path("ID").asText().equals(id.substring(7, 19))), rows.toString());
        assertTrue(rows.stream().allMatch(r -> r.path("Digest").asText().startsWith("sha256:")), rows.toString());
    }

    @Test
    void inspectPrintsDockerShapedArray() throws IOException {
        String id = importBusybox("bb:1");
        importBusybox("other:2");
        JsonNode array = JSON.readTree(ok("image", "inspect", "bb:1", "other:2").out());
        assertEquals(2, array.size());
        JsonNode first = array.get(0);
        assertEquals(id, first.path("Id").asText());
        assertEquals("[\"bb:1\"]", first.path("RepoTags").toString());
        assertTrue(first.path("RepoDigests").get(0).asText().startsWith("bb@sha256:"), first.toString());
        assertEquals("linux", first.path("Os").asText());
        assertEquals("layers", first.path("RootFS").path("Type").asText());
        assertEquals(1, first.path("RootFS").path("Layers").size());
        assertEquals(first, JSON.readTree(ok("image", "inspect", id.substring(7, 19)).out()).get(0), "by id prefix too");
    }

    @Test
    void tagThenRmiUntagsFirstAndDeletesWithTheLastName() throws IOException {
        String id = importBusybox("bb:1");
        ok("tag", "bb:1", "bb:2");
        assertEquals("Untagged: bb:1\n", ok("rmi", "bb:1").out());
        assertTrue(ok("images").out().contains("bb "), "still there as bb:2");
        assertEquals("Untagged: bb:2\nDeleted: " + id + "\n", ok("image", "rm", "bb:2").out());
        assertEquals(1, ok("images").out().split("\n").length, "only the header is left");
        assertEquals(List.of(), regularFiles(root.resolve("layers")));
        assertEquals(List.of(), regularFiles(root.resolve("blobs")));
    }

    @Test
    void rmiOfAnIdWithSeveralNamesNeedsForce() {
        String id = importBusybox("bb:1");
        ok("tag", "bb:1", "bb:2");
        Run refused = nvjrun("rmi", id.substring(7, 19));
        assertOwnFailure(refused, "several names");
        assertEquals(3, ok("images").out().split("\n").length, "nothing removed");
        Run forced = ok("rmi", "-f", id.substring(7, 19));
        assertTrue(forced.out().contains("Untagged: bb:1") && forced.out().contains("Untagged: bb:2"), forced.out());
        assertTrue(forced.out().contains("Deleted: " + id), forced.out());
    }

    @Test
    void rmiGoesOnPastAnUnknownImageAndFailsAtTheEnd() {
        importBusybox("bb:1");
        Run r = nvjrun("rmi", "nosuch:1", "bb:1");
        assertOwnFailure(r, "nosuch:1");
        assertTrue(r.out().contains("Untagged: bb:1"), r.out());
    }

    @Test
    void saveWritesADockerArchiveThatSkopeoReadsAndThatLoadsIntoAFreshRoot() throws IOException {
        String id = importBusybox("bb:1");
        Path archive = tmp.resolve("out/bb.tar");
        ok("save", "-o", archive.toString(), "bb:1");
        JsonNode inspected = JSON.readTree(RootfsTarball.run("skopeo", "skopeo", "inspect", "docker-archive:" + archive));
        assertEquals(1, inspected.path("Layers").size());
        // An archive written by skopeo, not by us, under another name.
        Path foreign = tmp.resolve("foreign.tar");
        RootfsTarball.run("skopeo", "skopeo", "copy", "--quiet", "docker-archive:" + archive,
                "docker-archive:" + foreign + ":example.com/team/box:7");
        root = tmp.resolve("fresh");
        assertEquals("Loaded image: bb:1\n", ok("load", "-i", archive.toString()).out());
        assertEquals("Loaded image: example.com/team/box:7\n", ok("image", "load", "-i", foreign.toString()).out());
        JsonNode both = JSON.readTree(ok("image", "inspect", "bb:1", "example.com/team/box:7").out());
        assertEquals(id, both.get(0).path("Id").asText(), "the same config, so the same id");
        assertEquals(id, both.get(1).path("Id").asText());
        assertEquals(List.of(), regularFiles(root.resolve("tmp")));
    }

    @Test
    void saveWithoutOutputWritesTheArchiveToAPipe() throws IOException {
        importBusybox("bb:1");
        var out = new java.io.ByteArrayOutputStream();
        int status = dev.nvjrun.launcher.Main.execute(new String[] {"--root", root.toString(), "save", "bb:1"}, out,
                new java.io.ByteArrayOutputStream());
        assertEquals(0, status);
        Path archive = tmp.resolve("piped.tar");
        Files.write(archive, out.toByteArray());
        String listing = RootfsTarball.run("tar", "tar", "-tf", archive.toString());
        assertTrue(listing.contains("manifest.json"), listing);
        assertEquals(List.of(), regularFiles(root.resolve("tmp")));
    }

    @Test
    void loadReadsStandardInputWhenNoFileIsGiven() throws IOException {
        importBusybox("bb:1");
        Path archive = tmp.resolve("bb.tar");
        ok("save", "-o", archive.toString(), "bb:1");
        root = tmp.resolve("fresh");
        InputStream saved = System.in;
        try {
            System.setIn(new ByteArrayInputStream(Files.readAllBytes(archive)));
            assertEquals("Loaded image: bb:1\n", ok("load").out());
        } finally {
            System.setIn(saved);
        }
        assertEquals(List.of(), regularFiles(root.resolve("tmp")), "the copy of standard input is gone");
    }

    @Test
    void loadFromEmptyOrBrokenStandardInputNamesStandardInput() throws IOException {
        InputStream saved = System.in;
        try {
            System.setIn(new ByteArrayInputStream(new byte[0]));
            assertOwnFailure(nvjrun("load"), "standard input is empty");
            System.setIn(new ByteArrayInputStream("not an archive at all".getBytes()));
            Run broken = nvjrun("load");
            assertOwnFailure(broken, "the archive from standard input");
            assertFalse(broken.err().contains("stdin-"), "the scratch copy is not the user's business: " + broken.err());
        } finally {
            System.setIn(saved);
        }
        assertEquals(List.of(), regularFiles(root.resolve("tmp")));
    }

    @Test
    void systemDfCountsAndPruneAfterRmiLeavesNoContent() throws IOException {
        importBusybox("bb:1");
        String df = ok("system", "df").out();
        assertTrue(df.startsWith("TYPE"), df);
        assertTrue(df.matches("(?s).*\\nImages\\s+1\\s.*\\nBlobs\\s+3\\s.*\\nLayers\\s+1\\s.*"), df);
        ok("rmi", "bb:1");
        Run prune = ok("system", "prune", "-f");
        assertTrue(prune.out().contains("Total reclaimed space: "), prune.out());
        assertTrue(ok("system", "df").out().matches("(?s).*\\nImages\\s+0\\s.*\\nBlobs\\s+0\\s.*\\nLayers\\s+0\\s.*"));
        for (String dir : List.of("blobs", "layers", "l", "tmp", "snapshots")) {
            assertEquals(List.of(), regularFiles(root.resolve(dir)), dir);
        }
    }

    @Test
    void pruneWithoutForceAndWithoutATerminalRefusesAndRemovesNothing() throws IOException {
        importBusybox("bb:1");
        Path orphan = Files.createDirectories(root.resolve("tmp/layer-crashed"));
        assertOwnFailure(nvjrun("system", "prune"), "-f");
        assertOwnFailure(nvjrun("image", "prune"), "-f");
        assertTrue(Files.isDirectory(orphan));
    }

    @Test
    void unknownImageIsOneSentence() {
        for (String[] command : List.of(new String[] {"image", "inspect", "nosuch"}, new String[] {"rmi", "nosuch"},
                new String[] {"save", "-o", tmp.resolve("x.tar").toString(), "nosuch"}, new String[] {"tag", "nosuch", "a:1"})) {
            assertOwnFailure(nvjrun(command), "image nosuch is not in the store");
        }
        assertFalse(Files.exists(tmp.resolve("x.tar")), "no archive for an unknown image");
    }

    @Test
    void badReferencesAreOneSentence() {
        importBusybox("bb:1");
        assertOwnFailure(nvjrun("import", tarball.toString(), "Upper/Case"), "must be lowercase");
        assertOwnFailure(nvjrun("tag", "bb:1", "bad::tag"), "bad::tag");
        assertOwnFailure(nvjrun("pull", "a//b"), "a//b");
        assertOwnFailure(nvjrun("images", "--format", "{{.ID}}"), "--format json");
        assertEquals(2, ok("images").out().split("\n").length, "nothing was added");
    }

    @Test
    void corruptArchivesAreRefusedAndTheStoreStillLoads() throws IOException {
        importBusybox("bb:1");
        Path archive = tmp.resolve("bb.tar");
        ok("save", "-o", archive.toString(), "bb:1");
        byte[] bytes = Files.readAllBytes(archive);
        Path truncated = Files.write(tmp.resolve("truncated.tar"), Arrays.copyOf(bytes, bytes.length / 2));
        Path garbage = Files.writeString(tmp.resolve("garbage.tar"), "this is not a tar file\n");
        Path cutRootfs = Files.write(tmp.resolve("cut.tar.gz"), Arrays.copyOf(Files.readAllBytes(tarball), 4000));
        root = tmp.resolve("fresh");
        assertOwnFailure(nvjrun("load", "-i", truncated.toString()), truncated.toString());
        assertOwnFailure(nvjrun("load", "-i", garbage.toString()), garbage.toString());
        assertOwnFailure(nvjrun("load", "-i", tmp.resolve("absent.tar").toString()), "does not exist");
        assertOwnFailure(nvjrun("load", "-i", tarball.toString()), "neither a docker save archive");
        assertOwnFailure(nvjrun("import", cutRootfs.toString(), "cut:1"), "complete tar file");
        assertEquals(1, ok("images").out().split("\n").length, "nothing indexed");
        for (String dir : List.of("blobs", "layers", "tmp")) {
            assertEquals(List.of(), regularFiles(root.resolve(dir)), dir + " holds nothing half-written");
        }
        assertEquals("Loaded image: bb:1\n", ok("load", "-i", archive.toString()).out(), "the store is still usable");
    }

    @Test
    void unwritableRootIsOneSentence() throws IOException {
        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        root = file.resolve("root");
        assertOwnFailure(nvjrun("import", tarball.toString(), "bb:1"), file.toString());
        root = Path.of("/proc/nvjrun-root");
        assertOwnFailure(nvjrun("import", tarball.toString(), "bb:1"), "/proc/nvjrun-root");
        assertEquals("x", Files.readString(file));
    }

    @Test
    void pullFromAnUnreachableRegistryIsOneSentence() throws IOException {
        Run r = nvjrun("pull", "127.0.0.1:1/nothing:1");
        assertOwnFailure(r, "cannot reach registry 127.0.0.1:1");
        assertTrue(r.out().startsWith("1: Pulling from 127.0.0.1:1/nothing"), r.out());
        assertEquals(List.of(), regularFiles(root.resolve("blobs")));
    }

    @Test
    void importedLayerHoldsTheTarballsFiles() throws IOException {
        importBusybox("bb:1");
        try (Stream<Path> links = Files.list(root.resolve("l"))) {
            Path layer = links.findFirst().orElseThrow();
            assertArrayEquals(Files.readAllBytes(Path.of("/bin/busybox")), Files.readAllBytes(layer.resolve("bin/busybox")));
            assertEquals("hello\n", Files.readString(layer.resolve("etc/motd")));
        }
    }

    @Test
    void everyImageCommandExplainsItselfWithHelp() {
        for (String[] command : List.of(new String[] {"pull"}, new String[] {"load"}, new String[] {"save"},
                new String[] {"import"}, new String[] {"images"}, new String[] {"tag"}, new String[] {"rmi"},
                new String[] {"image"}, new String[] {"image", "ls"}, new String[] {"image", "inspect"},
                new String[] {"image", "rm"}, new String[] {"image", "prune"}, new String[] {"system"},
                new String[] {"system", "df"}, new String[] {"system", "prune"})) {
            List<String> args = new ArrayList<>(Arrays.asList(command));
            args.add("--help");
            Run r = CommandLineTest.run(args.toArray(String[]::new));
            assertEquals(0, r.status(), String.join(" ", args) + ": " + r.err());
            assertTrue(r.out().startsWith("Usage: nvjrun " + String.join(" ", command)), r.out());
        }
        assertFalse(Files.exists(root), "help touches no store");
    }

    static void assertOwnFailure(Run r, String fragment) {
        assertEquals(125, r.status(), r.out() + r.err());
        assertTrue(r.err().startsWith("nvjrun: "), r.err());
        assertEquals(1, r.err().strip().split("\n").length, "one sentence: " + r.err());
        assertTrue(r.err().contains(fragment), "names " + fragment + ": " + r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
    }

    static List<Path> regularFiles(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(p -> !Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)).toList();
        }
    }
}
