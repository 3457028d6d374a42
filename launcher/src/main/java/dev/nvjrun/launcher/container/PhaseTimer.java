package dev.nvjrun.launcher.container;

import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a command's time goes, printed to stderr when {@code NVJRUN_TRACE_TIMING=1}: the JVM's own
 * start (from the time the JVM recorded as its start, so exec and the JVM's earliest boot are not in it)
 * and then each phase.
 */
final class PhaseTimer {
    private final boolean enabled;
    private final List<String> phases = new ArrayList<>();
    private long last = System.nanoTime();

    PhaseTimer(boolean enabled) {
        this.enabled = enabled;
        if (enabled) {
            long sinceStart = System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
            phases.add(String.format("jvm-start-to-command %d ms", sinceStart));
        }
    }

    static PhaseTimer fromEnvironment() {
        return new PhaseTimer("1".equals(System.getenv("NVJRUN_TRACE_TIMING")));
    }

    void mark(String phase) {
        if (enabled) {
            long now = System.nanoTime();
            phases.add(String.format("%s %.1f ms", phase, (now - last) / 1e6));
            last = now;
        }
    }

    void print(PrintWriter err) {
        if (enabled) {
            phases.forEach(p -> err.println("nvjrun-timing: " + p));
            err.flush();
        }
    }
}
