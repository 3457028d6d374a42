package dev.nvjrun.runtime.container;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nvjrun.runtime.container.log.LogEntry;
import dev.nvjrun.runtime.container.log.LogFiles;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The supervisor's json-file log and exit command, on real busybox containers: what Docker writes, byte for
 * byte where Docker's format fixes the bytes, and what the supervisor runs once a detached container exited.
 */
class ContainerLogTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path tmp;
    static Path rootfs;
    static ContainerRuntime runtime;

    @BeforeAll
    static void setUp() throws Exception {
        rootfs = BusyboxRootfs.create(tmp.resolve("rootfs"));
        runtime = ContainerRuntime.open(tmp.resolve("state"));
    }

    @AfterAll
    static void tearDown() {
        runtime.list().forEach(s -> runtime.delete(s.id(), true));
    }

    private static CreateRequest sh(String script) {
        return CreateRequest.of(DockerDefaults.spec(rootfs, List.of("sh", "-c", script)));
    }

    @Test
    void foregroundOutputReachesTheCallerSeparatelyAndTheLogInDockersShape() throws Exception {
        Path out = tmp.resolve("fg.out");
        Path err = tmp.resolve("fg.err");
        String script = "echo first; echo oops >&2; printf 'q\"t\\tx\\001y\\377<&>\\n'; head -c 40960 /dev/zero | tr '\\0' a; echo; printf tail";
        ContainerState c = runtime.create(sh(script));
        assertEquals(0, runtime.runCreated(c.id(), false, new Stdio(null, out, err)).exitCode());
        String special = "q\"t\tx\u0001y\uFFFD<&>\n".replace("\uFFFD", "\u00ff");
        assertEquals("first\n" + "q\"t\tx\u0001y", Files.readString(out, StandardCharsets.ISO_8859_1).substring(0, 13),
                "the caller gets the container's stdout as it is");
        assertEquals("oops\n", Files.readString(err), "and its stderr separately");
        assertTrue(Files.readString(out, StandardCharsets.ISO_8859_1).contains(special));

        List<String> lines = Files.readAllLines(runtime.logFile(c.id()), StandardCharsets.UTF_8);
        for (String line : lines) {
            JsonNode node = JSON.readTree(line);
            assertEquals(List.of("log", "stream", "time"), iterable(node.fieldNames()), line);
            assertTrue(node.get("time").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d*[1-9])?Z"), line);
        }
        assertTrue(lines.get(0).startsWith("{\"log\":\"first\\n\",\"stream\":\"stdout\",\"time\":\""), lines.get(0));
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("{\"log\":\"oops\\n\",\"stream\":\"stderr\",")), String.join("\n", lines));
        // Docker's escaping: u00XX for control characters (tab too) and for <>&, ufffd for a byte that is not UTF-8.
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("{\"log\":\"q\\\"t\\u0009x\\u0001y\\ufffd\\u003c\\u0026\\u003e\\n\",")),
                String.join("\n", lines));
        List<LogEntry> entries = lines.stream().map(l -> LogEntry.parse(l).orElseThrow()).toList();
        List<String> big = entries.stream().map(LogEntry::text).filter(t -> t.startsWith("aaaa")).toList();
        assertEquals(List.of(16384, 16384, 8193), big.stream().map(String::length).toList(), "a 40 KiB line is three entries");
        assertFalse(big.get(0).endsWith("\n"), "a partial entry has no newline");
        assertTrue(big.get(2).endsWith("a\n"));
        List<LogEntry> stdout = entries.stream().filter(e -> !e.stderr()).toList();
        assertEquals("tail\n", stdout.get(stdout.size() - 1).text(), "output without a final newline gets one, as in Docker");
        runtime.delete(c.id(), false);
    }

    @Test
    void rotationKeepsAtMostMaxFilesAndTheNewestLines() throws Exception {
        ContainerState c = runtime.create(sh("for i in $(seq 300); do echo line $i; done").withLog(new LogConfig("json-file", 1024, 3)));
        Path out = tmp.resolve("rot.out");
        assertEquals(0, runtime.runCreated(c.id(), false, new Stdio(null, out, out)).exitCode());
        Path log = runtime.logFile(c.id());
        List<Path> files = new LogFiles(log).oldestFirst();
        assertEquals(List.of(Path.of(log + ".2"), Path.of(log + ".1"), log), files);
        assertFalse(Files.exists(Path.of(log + ".3")));
        List<String> texts = new ArrayList<>();
        for (Path f : files) {
            assertTrue(Files.size(f) < 1024 + 200, f + " is " + Files.size(f) + " bytes");
            Files.readAllLines(f).forEach(l -> texts.add(LogEntry.parse(l).orElseThrow().text().strip()));
        }
        assertEquals("line 300", texts.get(texts.size() - 1));
        int first = Integer.parseInt(texts.get(0).substring(5));
        for (int i = 0; i < texts.size(); i++) {
            assertEquals("line " + (first + i), texts.get(i), "the kept lines are consecutive, oldest file first");
        }
        runtime.delete(c.id(), false);
    }

    @Test
    void logDriverNoneWritesNoLogAndTheCallerStillGetsTheOutput() throws Exception {
        ContainerState c = runtime.create(sh("echo direct").withLog(LogConfig.NONE));
        Path out = tmp.resolve("none.out");
        assertEquals(0, runtime.runCreated(c.id(), false, new Stdio(null, out, out)).exitCode());
        assertEquals("direct\n", Files.readString(out));
        assertFalse(Files.exists(runtime.logFile(c.id())));
        runtime.delete(c.id(), false);
    }

    @Test
    void exitCommandRunsWithTheIdOnceTheExitIsRecorded() throws Exception {
        Path marker = tmp.resolve("exit-command.out");
        Path containers = tmp.resolve("state/containers");
        ContainerRuntime withHook = runtime.withExitCommand(List.of("/bin/sh", "-c",
                "echo \"$0 $(cat " + containers + "/$0/exit)\" > " + marker + ".tmp && mv " + marker + ".tmp " + marker));
        ContainerState c = withHook.create(sh("echo detached; exit 7"));
        withHook.start(c.id());
        assertEquals(7, withHook.await(c.id()));
        String ran = awaitFile(marker);
        assertEquals(c.id() + " 7\n", ran, "the id is the last argument and the status is already recorded");
        assertEquals("detached\n", Files.readAllLines(runtime.logFile(c.id())).stream()
                .map(l -> LogEntry.parse(l).orElseThrow().text()).collect(Collectors.joining()));
        runtime.delete(c.id(), false);
    }

    @Test
    void aFailedExitCommandLeavesTheSelfRemovalToTheSupervisor() throws Exception {
        ContainerRuntime failing = runtime.withExitCommand(List.of("/bin/false"));
        ContainerState c = failing.create(sh("exit 4").withAutoRemove(true));
        failing.start(c.id());
        Path dir = tmp.resolve("state/containers").resolve(c.id());
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (Files.exists(dir) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertFalse(Files.exists(dir), "the supervisor removed the state itself");
        assertEquals("4", Files.readString(tmp.resolve("state/locks").resolve(c.id() + ".lock.exit")).strip(), "and kept the status for wait");
    }

    private static String awaitFile(Path file) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!Files.exists(file) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        return Files.readString(file);
    }

    private static List<String> iterable(java.util.Iterator<String> names) {
        List<String> list = new ArrayList<>();
        names.forEachRemaining(list::add);
        return list;
    }
}
