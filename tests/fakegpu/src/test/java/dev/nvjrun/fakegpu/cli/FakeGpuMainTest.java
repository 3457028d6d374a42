package dev.nvjrun.fakegpu.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FakeGpuMainTest {

    @TempDir
    Path tmp;

    private record Result(int exitCode, String out, String err) {
    }

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = FakeGpuMain.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(code, out.toString(), err.toString());
    }

    private static void assertOneSentence(Result result) {
        assertTrue(result.err().startsWith("nvjrun-fakegpu: "), result.err());
        assertEquals(1, result.err().strip().lines().count(), result.err());
    }

    @Test
    void createsAHostAndPrintsItsGpus() throws IOException {
        Path dir = tmp.resolve("host");
        Result result = run("create", dir.toString(), "--gpus", "3", "--model", "Tesla T4", "--driver-version",
                "535.104.05", "--cuda-version", "12.2");
        assertEquals(0, result.exitCode(), result.err());
        assertEquals(3, result.out().lines().filter(l -> l.contains("Tesla T4")).count(), result.out());
        assertTrue(Files.isRegularFile(dir.resolve("usr/lib/x86_64-linux-gnu/libnvidia-ml.so.535.104.05")));
        assertTrue(Files.readString(dir.resolve("etc/nvjrun-fakegpu/gpus.json")).contains("\"cudaDriverVersion\" : 12020"));
    }

    @Test
    void rejectsBadGpuCountAsUsageError() {
        Result result = run("create", tmp.resolve("host").toString(), "--gpus", "-1");
        assertEquals(2, result.exitCode());
        assertOneSentence(result);
        assertTrue(result.err().contains("GPU count -1 is out of range"), result.err());
        assertFalse(Files.exists(tmp.resolve("host")));
    }

    @Test
    void rejectsNonNumericGpuCountAndUnknownOptions() {
        Result notNumber = run("create", tmp.resolve("host").toString(), "--gpus", "many");
        assertEquals(2, notNumber.exitCode());
        assertOneSentence(notNumber);
        Result unknown = run("create", tmp.resolve("host").toString(), "--colour");
        assertEquals(2, unknown.exitCode());
        assertOneSentence(unknown);
        assertTrue(unknown.err().contains("--colour"), unknown.err());
        Result none = run();
        assertEquals(2, none.exitCode());
        assertOneSentence(none);
    }

    @Test
    void rejectsBadDriverVersion() {
        Result result = run("create", tmp.resolve("host").toString(), "--driver-version", "latest");
        assertEquals(2, result.exitCode());
        assertTrue(result.err().contains("driver version 'latest' is not of the form"), result.err());
    }

    @Test
    void refusesANonEmptyDirectoryWithExitOne() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("host"));
        Files.writeString(dir.resolve("data"), "x");
        Result result = run("create", dir.toString());
        assertEquals(1, result.exitCode());
        assertOneSentence(result);
        assertTrue(result.err().contains("is not empty"), result.err());
    }

    @Test
    void injectsAndClearsFailures() throws IOException {
        Path dir = tmp.resolve("host");
        assertEquals(0, run("create", dir.toString()).exitCode());
        Result lost = run("inject", dir.toString(), "gpu-lost=1");
        assertEquals(0, lost.exitCode(), lost.err());
        assertTrue(Files.readString(dir.resolve("etc/nvjrun-fakegpu/gpus.json")).contains("\"lost\" : true"));
        assertEquals(0, run("inject", dir.toString(), "not-supported=nvmlDeviceGetPowerUsage").exitCode());
        assertEquals(0, run("inject", dir.toString(), "clear").exitCode());
        String cleared = Files.readString(dir.resolve("etc/nvjrun-fakegpu/gpus.json"));
        assertFalse(cleared.contains("\"lost\" : true") || cleared.contains("nvmlDeviceGetPowerUsage"), cleared);
    }

    @Test
    void rejectsUnknownFailureAndMissingHost() throws IOException {
        Path dir = tmp.resolve("host");
        assertEquals(0, run("create", dir.toString(), "--gpus", "1").exitCode());
        Result unknown = run("inject", dir.toString(), "gpu-melted");
        assertEquals(2, unknown.exitCode());
        assertOneSentence(unknown);
        assertTrue(unknown.err().contains("unknown failure 'gpu-melted'"), unknown.err());
        Result missing = run("inject", tmp.resolve("nowhere").toString(), "driver-not-loaded");
        assertEquals(1, missing.exitCode());
        assertOneSentence(missing);
        assertTrue(missing.err().contains("does not exist"), missing.err());
    }
}
