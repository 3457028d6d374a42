package dev.nvjrun.e2e.container;

import dev.nvjrun.e2e.Distribution;
import dev.nvjrun.e2e.Distribution.Result;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Container logs through the packaged nvjrun: the supervisor's json-file log of attached and detached
 * containers, {@code logs} with Docker's flags, {@code --log-driver none}, and a caller that stops reading.
 */
class PackagedLogsTest {
    @TempDir
    static Path tmp;
    static Shell shell;
    static Path root;

    @BeforeAll
    static void importBusybox() throws Exception {
        root = tmp.resolve("state");
        shell = new Shell(root);
        shell.importBusybox(tmp);
    }

    @AfterAll
    static void cleanUp() throws Exception {
        shell.sh(Distribution.CLEAN_ROOT);
    }

    @Test
    void attachedRunPrintsBothStreamsSeparatelyAndLogsShowsTheSameLines() throws Exception {
        Result run = shell.sh("nvjrun run --name attached --network none e2e/busybox sh -c 'echo out1; echo err1 >&2; echo out2'");
        assertEquals(0, run.status(), run.err());
        assertEquals("out1\nout2\n", run.out());
        assertEquals("err1\n", run.err());
        Result logs = shell.sh("nvjrun logs attached");
        assertEquals("out1\nout2\n", logs.out());
        assertEquals("err1\n", logs.err());
        Path log = logFile("attached");
        assertTrue(Files.readString(log).startsWith("{\"log\":\"out1\\n\",\"stream\":\"stdout\",\"time\":\""), Files.readString(log));
    }

    @Test
    void aTruncatedLineIsSkippedWithAWarning() throws Exception {
        assertEquals(0, shell.sh("nvjrun run --name truncated --network none e2e/busybox echo kept").status());
        Files.writeString(logFile("truncated"), "{\"log\":\"lost in a cra", java.nio.file.StandardOpenOption.APPEND);
        Result logs = shell.sh("nvjrun logs truncated");
        assertEquals(0, logs.status(), logs.err());
        assertEquals("kept\n", logs.out());
        assertTrue(logs.err().startsWith("nvjrun: warning: skipped a line of "), logs.err());
    }

    @Test
    void logDriverNoneWritesNoLogAndLogsSaysSo() throws Exception {
        Result run = shell.sh("nvjrun run --name unlogged --log-driver none --network none e2e/busybox echo direct");
        assertEquals("direct\n", run.out(), run.err());
        try (Stream<Path> files = Files.list(containerDir("unlogged"))) {
            assertFalse(files.anyMatch(p -> p.getFileName().toString().contains("json.log")));
        }
        Result logs = shell.sh("nvjrun logs unlogged");
        assertEquals(125, logs.status());
        assertTrue(logs.err().startsWith("nvjrun: ") && logs.err().contains("none"), logs.err());
        assertEquals("[] none\n", shell.sh("nvjrun inspect -f '[{{.LogPath}}] {{.HostConfig.LogConfig.Type}}' unlogged").out(),
                "no log path, as Docker's inspect with --log-driver none");
    }

    @Test
    void inspectNamesTheLogFileAndItsRotation() throws Exception {
        assertEquals(0, shell.sh("nvjrun run --name rotated --log-opt max-size=1k --log-opt max-file=2 --network none e2e/busybox true")
                .status());
        Result inspect = shell.sh("nvjrun inspect -f '{{.LogPath}} {{json .HostConfig.LogConfig}}' rotated");
        assertEquals(logFile("rotated") + " {\"Type\":\"json-file\",\"Config\":{\"max-size\":\"1024\",\"max-file\":\"2\"}}\n",
                inspect.out(), inspect.err());
    }

    @Test
    void tailSinceUntilAndTimestamps() throws Exception {
        assertEquals(0, shell.sh("nvjrun run --name counted --network none e2e/busybox sh -c 'for i in 1 2 3 4 5; do echo $i; done'").status());
        assertEquals("4\n5\n", shell.sh("nvjrun logs --tail 2 counted").out());
        assertEquals("1\n2\n3\n4\n5\n", shell.sh("nvjrun logs --tail all counted").out());
        String stamped = shell.sh("nvjrun logs -t --tail 1 counted").out();
        assertTrue(stamped.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d*[1-9])?Z 5\n"), stamped);
        assertEquals("1\n2\n3\n4\n5\n", shell.sh("nvjrun logs --since 10m counted").out());
        assertEquals("", shell.sh("nvjrun logs --until 10m counted").out());
        String time = stamped.substring(0, stamped.indexOf(' '));
        assertEquals("5\n", shell.sh("nvjrun logs --since " + time + " counted").out(), "an RFC 3339 time, as -t prints it");
        assertEquals("", shell.sh("nvjrun logs --since 4102444800 counted").out(), "Unix seconds (2100)");
    }

    @Test
    void followEndsWhenTheDetachedContainerExits() throws Exception {
        Result r = shell.sh("id=$(nvjrun run -d --network none e2e/busybox sh -c 'echo a; sleep 1; echo b >&2; echo c') && nvjrun logs -f $id");
        assertEquals(0, r.status(), r.err());
        assertEquals("a\nc\n", r.out());
        assertEquals("b\n", r.err());
    }

    @Test
    void aCallerThatStopsReadingNeitherKillsNorBlocksTheContainer() throws Exception {
        Result r = shell.sh("{ nvjrun run --name piped --network none e2e/busybox sh -c 'seq 50000; echo done >&2'; echo $? > "
                + tmp.resolve("piped.status") + "; } | head -1");
        assertEquals("1\n", r.out());
        assertEquals("0", Files.readString(tmp.resolve("piped.status")).strip(), r.err());
        Result logs = shell.sh("nvjrun logs --tail 2 piped");
        assertEquals("50000\n", logs.out(), "the log has every line although the caller read one");
        assertEquals("done\n", logs.err());
    }

    @Test
    void badLogFlagsExit125WithOneSentence() throws Exception {
        assertEquals(0, shell.sh("nvjrun run --name flags --network none e2e/busybox true").status());
        for (String line : List.of("nvjrun run --rm --log-opt max-size=abc e2e/busybox true", "nvjrun run --rm --log-driver syslog e2e/busybox true",
                "nvjrun logs --tail x flags", "nvjrun logs --since junk flags", "nvjrun logs no-such-container")) {
            Result r = shell.sh(line);
            assertEquals(125, r.status(), line + ": " + r.err());
            assertTrue(r.err().startsWith("nvjrun: ") && r.err().strip().lines().count() == 1, line + ": " + r.err());
        }
    }

    private static Path containerDir(String name) throws Exception {
        String id = shell.sh("nvjrun inspect --format '{{.Id}}' " + name).out().strip();
        return root.resolve("containers").resolve(id);
    }

    private static Path logFile(String name) throws Exception {
        Path dir = containerDir(name);
        return dir.resolve(dir.getFileName() + "-json.log");
    }
}
