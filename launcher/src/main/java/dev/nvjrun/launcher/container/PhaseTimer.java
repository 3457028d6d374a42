package dev.nvjrun.launcher.container;

import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a command's time goes, printed to stderr when {@code NVJRUN_TRACE_TIMING=1}: the JVM's own
 * start (from the time the JVM recorded as its start, so exec and the JVM's earliest boot are not in it)
 * and then each phase.
 *
 * <p>While the command runs a mark only reads the clock: the JVM's start time (JMX: some 30 classes of
 * java.management) is looked up and everything is formatted (by hand: String.format loads the locale
 * data, another 15 ms) only in {@link #print}, after the last phase, so the tracing does not slow
 * the phases it measures.
 */
final class PhaseTimer {
    private final boolean enabled;
    private final long commandStartMillis;
    private final List<String> names = new ArrayList<>();
    private final List<Long> nanos = new ArrayList<>();
    private final long start;

    PhaseTimer(boolean enabled) {
        this.enabled = enabled;
        this.commandStartMillis = enabled ? System.currentTimeMillis() : 0;
        this.start = System.nanoTime();
    }

    static PhaseTimer fromEnvironment() {
        return new PhaseTimer("1".equals(System.getenv("NVJRUN_TRACE_TIMING")));
    }

    void mark(String phase) {
        if (enabled) {
            nanos.add(System.nanoTime());
            names.add(phase);
        }
    }

    void print(PrintWriter err) {
        if (!enabled) {
            return;
        }
        long sinceStart = commandStartMillis - ManagementFactory.getRuntimeMXBean().getStartTime();
        err.println("nvjrun-timing: jvm-start-to-command " + sinceStart + " ms");
        long last = start;
        for (int i = 0; i < names.size(); i++) {
            err.println("nvjrun-timing: " + names.get(i) + " " + milliseconds(nanos.get(i) - last) + " ms");
            last = nanos.get(i);
        }
        err.flush();
    }

    /** Tenths of a millisecond, as {@code %.1f} would print them. */
    static String milliseconds(long nanos) {
        long tenths = Math.round(nanos / 100_000.0);
        return tenths / 10 + "." + tenths % 10;
    }
}
