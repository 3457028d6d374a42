package dev.nvjrun.runtime.process;

import java.util.Locale;
import java.util.Map;

/** Signal names and numbers as {@code docker kill -s} and {@code --stop-signal} accept them (x86-64). */
public final class Signals {
    private static final Map<String, Integer> NUMBERS = Map.ofEntries(Map.entry("HUP", 1), Map.entry("INT", 2), Map.entry("QUIT", 3),
            Map.entry("ILL", 4), Map.entry("TRAP", 5), Map.entry("ABRT", 6), Map.entry("BUS", 7), Map.entry("FPE", 8),
            Map.entry("KILL", 9), Map.entry("USR1", 10), Map.entry("SEGV", 11), Map.entry("USR2", 12), Map.entry("PIPE", 13),
            Map.entry("ALRM", 14), Map.entry("TERM", 15), Map.entry("CHLD", 17), Map.entry("CONT", 18), Map.entry("STOP", 19),
            Map.entry("TSTP", 20), Map.entry("TTIN", 21), Map.entry("TTOU", 22), Map.entry("WINCH", 28));

    public static final int SIGKILL = 9;
    public static final int SIGTERM = 15;

    private Signals() {
    }

    /** Parses {@code TERM}, {@code SIGTERM}, {@code sigterm} or {@code 15}. */
    public static int parse(String signal) {
        String s = signal.toUpperCase(Locale.ROOT);
        if (s.matches("\\d+")) {
            int n = Integer.parseInt(s);
            if (n >= 1 && n <= 64) {
                return n;
            }
        }
        Integer n = NUMBERS.get(s.startsWith("SIG") ? s.substring(3) : s);
        if (n == null) {
            throw new IllegalArgumentException("signal '" + signal + "' is unknown; use a name such as TERM or KILL, or a number from 1 to 64");
        }
        return n;
    }
}
