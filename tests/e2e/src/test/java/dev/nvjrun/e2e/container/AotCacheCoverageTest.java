package dev.nvjrun.e2e.container;

import dev.nvjrun.e2e.Distribution;
import dev.nvjrun.e2e.Distribution.Result;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The packaged launcher's AOT cache holds every class that a container start loads: a class the
 * training missed is loaded, parsed and verified from its jar on every start (the build trains the
 * cache with StartupTraining; when a change adds a class to the start path and the training does
 * not reach it, this test names it). Checked with the JVM's own class-loading log, which says where
 * each class came from.
 */
class AotCacheCoverageTest {
    @TempDir
    static Path tmp;
    static Shell shell;

    @BeforeAll
    static void importBusybox() throws Exception {
        Path cache = Distribution.installed().bin().resolveSibling("lib").resolve("nvjrun.aot");
        assumeTrue(Files.isRegularFile(cache), "no AOT cache was built (JDK older than 25, or NVJRUN_NO_AOT=1)");
        shell = new Shell(tmp.resolve("state"));
        shell.importBusybox(tmp);
        Result r = shell.sh("nvjrun-fakegpu create " + tmp.resolve("host") + " --gpus 2 >/dev/null");
        assertEquals(0, r.status(), r.err());
    }

    @AfterAll
    static void removeTheBridge() throws Exception {
        if (shell != null) {
            shell.sh(Distribution.CLEAN_ROOT);
        }
    }

    @Test
    void aContainerStartLoadsOnlyCachedClasses() throws Exception {
        assertEquals(List.of(), uncachedClasses("nvjrun run --rm --network none e2e/busybox /bin/true"));
    }

    @Test
    void aStartOnTheDefaultNetworkLoadsOnlyCachedClasses() throws Exception {
        assertEquals(List.of(), uncachedClasses("nvjrun run --rm e2e/busybox /bin/true"));
    }

    @Test
    void aGpuContainerStartLoadsOnlyCachedClasses() throws Exception {
        Path host = tmp.resolve("host");
        assertEquals(List.of(), uncachedClasses("nvjrun --driver-root " + host + " --dev-root " + host + " --proc-root " + host
                + "/proc run --rm --network none --gpus all e2e/busybox /bin/true"));
    }

    /**
     * With every class in the cache, a start needs to open no jar but the launcher's (its resources). Look-ups
     * that search the whole class path (picocli's Groovy probe, SLF4J's provider search, slf4j-simple's
     * properties, System.exit's logging of the exit) opened all ~40, each start.
     */
    @Test
    void versionOpensOnlyTheLaunchersJar() throws Exception {
        Result r = shell.sh("JAVA_TOOL_OPTIONS=-Dsun.misc.URLClassPath.debug=true nvjrun version");
        assertEquals(0, r.status(), r.err());
        List<String> opened = r.err().lines().filter(l -> l.startsWith("Opening "))
                .map(l -> l.substring(l.lastIndexOf('/') + 1)).toList();
        assertEquals(1, opened.size(), "jars opened: " + opened);
        assertTrue(opened.get(0).startsWith("nvjrun-launcher-"), opened.toString());
    }

    /** nvjrun's, picocli's, JNA's and Jackson's classes that the command loaded from a jar rather than the cache. */
    private static List<String> uncachedClasses(String command) throws IOException, InterruptedException {
        Path log = Files.createTempFile(tmp, "classes", ".log");
        Result r = shell.sh("JAVA_TOOL_OPTIONS=-Xlog:class+load:file=" + log + " " + command);
        assertEquals(0, r.status(), r.err());
        List<String> lines = Files.readAllLines(log);
        assertTrue(lines.stream().anyMatch(l -> l.endsWith("source: shared objects file")), "the launcher did not use its AOT cache");
        return lines.stream()
                .filter(l -> l.contains("[class,load]") && !l.endsWith("source: shared objects file"))
                .map(l -> l.substring(l.indexOf("[class,load] ") + "[class,load] ".length()))
                .filter(l -> l.startsWith("dev.nvjrun.") || l.startsWith("picocli.") || l.startsWith("com.sun.jna.")
                        || l.startsWith("com.fasterxml.jackson."))
                // classes made at run time (hidden classes of lambdas and pattern switches, proxies) have no jar to come from
                .filter(l -> !l.contains("/0x") && !l.contains("$Proxy"))
                .toList();
    }
}
