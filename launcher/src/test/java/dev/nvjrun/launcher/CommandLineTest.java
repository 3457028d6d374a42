package dev.nvjrun.launcher;

import org.junit.jupiter.api.Test;


import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

public class CommandLineTest {

    public record Run(int status, String out, String err) {}

    public static Run run(String... args) {
        var out = new java.io.ByteArrayOutputStream();
        var err = new java.io.ByteArrayOutputStream();
        int status = Main.execute(args, out, err);
        return new Run(status, out.toString(java.nio.charset.StandardCharsets.UTF_8),
                err.toString(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void versionPrintsTheBuildVersion() {
        Run r = run("version");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().startsWith("nvjrun version 0."), r.out());
        assertFalse(r.out().contains("${"), "version.properties must be filtered: " + r.out());
    }

    @Test
    void unknownFlagIsAnOwnFailureWithOneSentence() {
        Run r = run("version", "--no-such-flag");
        assertEquals(125, r.status());
        assertTrue(r.err().startsWith("nvjrun: Unknown option: '--no-such-flag'"), r.err());
        assertFalse(r.err().contains("at dev.nvjrun"), "no stack trace without --debug: " + r.err());
    }

    @Test
    void missingCommandIsAnOwnFailure() {
        Run r = run();
        assertEquals(125, r.status());
        assertTrue(r.err().contains("a command is required"), r.err());
    }

    @Test
    void unknownCommandIsAnOwnFailure() {
        Run r = run("frobnicate");
        assertEquals(125, r.status());
        assertTrue(r.err().contains("frobnicate"), r.err());
    }

    @Test
    void helpListsTheCommands() {
        Run r = run("--help");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("version"), r.out());
    }
}
