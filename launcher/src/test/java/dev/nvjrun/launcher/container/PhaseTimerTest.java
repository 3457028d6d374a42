package dev.nvjrun.launcher.container;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PhaseTimerTest {

    @Test
    void printsTheJvmStartThenEachPhaseInOrder() {
        PhaseTimer timer = new PhaseTimer(true);
        timer.mark("image-resolve");
        timer.mark("container-run");
        StringWriter out = new StringWriter();
        timer.print(new PrintWriter(out));
        List<String> lines = out.toString().lines().toList();
        assertEquals(3, lines.size(), out.toString());
        assertTrue(lines.get(0).matches("nvjrun-timing: jvm-start-to-command \\d+ ms"), lines.get(0));
        assertTrue(lines.get(1).matches("nvjrun-timing: image-resolve \\d+\\.\\d ms"), lines.get(1));
        assertTrue(lines.get(2).matches("nvjrun-timing: container-run \\d+\\.\\d ms"), lines.get(2));
    }

    @Test
    void aDisabledTimerPrintsNothing() {
        PhaseTimer timer = new PhaseTimer(false);
        timer.mark("image-resolve");
        StringWriter out = new StringWriter();
        timer.print(new PrintWriter(out));
        assertEquals("", out.toString());
    }

    @Test
    void millisecondsAreTenthsAsPercentOneFWouldPrintThem() {
        assertEquals("0.0", PhaseTimer.milliseconds(0));
        assertEquals("0.1", PhaseTimer.milliseconds(60_000));
        assertEquals("1.3", PhaseTimer.milliseconds(1_250_000));
        assertEquals("123.5", PhaseTimer.milliseconds(123_456_789));
        assertEquals(String.format("%.1f", 27.34), PhaseTimer.milliseconds(27_340_000));
    }
}
