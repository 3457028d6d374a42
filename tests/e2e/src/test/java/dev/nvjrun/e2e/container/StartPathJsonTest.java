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

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged nvjrun starts, stops and removes containers without Jackson's data binding (an
 * ObjectMapper cost a cold run about 45 ms): the JVM's class-load log of each command names no
 * com.fasterxml.jackson.databind class. The AOT cache is switched off for these runs because it
 * preloads every class its training run loaded, used by this command or not; without it the log
 * shows exactly what the command itself loads.
 */
class StartPathJsonTest {
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
    void runWithoutNetworkAndOnTheDefaultBridgeLoadsNoDataBinding() throws Exception {
        assertNoDataBinding("run-none", "nvjrun run --rm --network none e2e/busybox true");
        assertNoDataBinding("run-bridge", "nvjrun run --rm e2e/busybox true");
    }

    @Test
    void theContainerLifeCycleLoadsNoDataBinding() throws Exception {
        assertNoDataBinding("run-detached", "nvjrun run -d --name json-d e2e/busybox sleep 60 >/dev/null");
        assertNoDataBinding("exec", "nvjrun exec json-d true");
        assertNoDataBinding("stop", "nvjrun stop -t 0 json-d >/dev/null");
        assertNoDataBinding("wait", "[ \"$(nvjrun wait json-d)\" = 137 ]"); // killed by stop -t 0; wait itself exits 0
        assertNoDataBinding("create", "nvjrun create --name json-c e2e/busybox true >/dev/null");
        assertNoDataBinding("start", "nvjrun start json-c >/dev/null");
        assertNoDataBinding("rm", "nvjrun rm json-c json-d >/dev/null");
    }

    @Test
    void aTruncatedStateFileIsOneSentenceNamingItAndExits125() throws Exception {
        Result created = shell.sh("nvjrun create --name json-cut e2e/busybox true");
        assertEquals(0, created.status(), created.err());
        Path state = root.resolve("containers").resolve(created.out().strip()).resolve("state.json");
        byte[] whole = Files.readAllBytes(state);
        try {
            Files.write(state, java.util.Arrays.copyOf(whole, whole.length / 2));
            Result start = shell.sh("nvjrun start json-cut");
            assertEquals(125, start.status(), start.err());
            List<String> lines = start.err().lines().toList();
            assertEquals(1, lines.size(), start.err());
            assertTrue(lines.get(0).startsWith("nvjrun: ") && lines.get(0).contains(state + " is unreadable")
                    && lines.get(0).contains("truncated"), start.err());
        } finally {
            Files.write(state, whole);
        }
        assertEquals(0, shell.sh("nvjrun rm json-cut").status());
    }

    private static void assertNoDataBinding(String name, String command) throws Exception {
        Path log = tmp.resolve(name + ".classes");
        Result r = shell.sh("export JAVA_TOOL_OPTIONS='-XX:AOTMode=off -Xlog:class+load:file=" + log + "'; " + command);
        assertEquals(0, r.status(), name + ": " + r.err());
        List<String> loaded = Files.readAllLines(log);
        assertTrue(loaded.stream().anyMatch(l -> l.contains(" com.fasterxml.jackson.core.JsonFactory ")),
                name + ": the log should show the streaming parser at work; is class logging on?");
        List<String> databind = loaded.stream().filter(l -> l.contains("com.fasterxml.jackson.databind.")).toList();
        assertFalse(!databind.isEmpty(), name + " loaded " + databind.size() + " data-binding classes, first " + databind.stream().findFirst().orElse(""));
    }
}
