package dev.nvjrun.runtime.image.registry;

import dev.nvjrun.runtime.store.Digest;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PullProgressTest {

    private static final Digest A = Digest.of("a".getBytes(StandardCharsets.UTF_8));
    private static final Digest B = Digest.of("b".getBytes(StandardCharsets.UTF_8));

    @Test
    void plainOutputIsOneLinePerStage() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PullProgress progress = TerminalPullProgress.forConsole(new PrintStream(bytes, true, StandardCharsets.UTF_8), false);
        progress.layer(A, PullProgress.Stage.DOWNLOADING, 0, 100);
        progress.layer(A, PullProgress.Stage.DOWNLOADING, 50, 100);
        progress.layer(A, PullProgress.Stage.PULL_COMPLETE, 100, 100);
        assertEquals(A.shortHex() + ": Downloading\n" + A.shortHex() + ": Pull complete\n", bytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void terminalOutputRedrawsEveryLayerInPlace() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PullProgress progress = TerminalPullProgress.forConsole(new PrintStream(bytes, true, StandardCharsets.UTF_8), true);
        progress.layer(A, PullProgress.Stage.DOWNLOADING, 0, 2_000_000);
        progress.layer(B, PullProgress.Stage.ALREADY_EXISTS, 0, 0);
        progress.layer(A, PullProgress.Stage.DOWNLOADING, 1_000_000, 2_000_000);
        String output = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(output.contains("\u001b[2A"), "moves up over both layer lines before redrawing");
        assertTrue(output.endsWith(A.shortHex() + ": Downloading [" + "=".repeat(19) + ">" + " ".repeat(20) + "] 1.0MB/2.0MB\n"
                + "\r\u001b[2K" + B.shortHex() + ": Already exists\n"), output);
    }
}
