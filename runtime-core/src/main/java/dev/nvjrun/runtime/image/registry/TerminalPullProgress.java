package dev.nvjrun.runtime.image.registry;

import dev.nvjrun.runtime.store.Digest;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Docker's pull display for a terminal: one line per layer, redrawn in place with ANSI cursor
 * movement, with a bar while the layer downloads.
 */
public final class TerminalPullProgress implements PullProgress {

    private static final int BAR_WIDTH = 40;
    private static final String CURSOR_UP = "\u001b[%dA";
    private static final String CLEAR_LINE = "\u001b[2K";

    private final PrintStream out;
    private final Map<Digest, String> lines = new LinkedHashMap<>();
    private int drawn;

    public TerminalPullProgress(PrintStream out) {
        this.out = out;
    }

    /** The display for {@code out}: redrawn lines on a terminal, plain lines otherwise. */
    public static PullProgress forConsole(PrintStream out, boolean terminal) {
        return terminal ? new TerminalPullProgress(out) : new PlainPullProgress(out);
    }

    @Override
    public synchronized void layer(Digest blob, Stage stage, long doneBytes, long totalBytes) {
        lines.put(blob, render(blob, stage, doneBytes, totalBytes));
        StringBuilder frame = new StringBuilder();
        if (drawn > 0) {
            frame.append(String.format(CURSOR_UP, drawn));
        }
        List<String> current = new ArrayList<>(lines.values());
        for (String line : current) {
            frame.append('\r').append(CLEAR_LINE).append(line).append('\n');
        }
        drawn = current.size();
        out.print(frame);
        out.flush();
    }

    static String render(Digest blob, Stage stage, long done, long total) {
        String id = blob.shortHex() + ": ";
        return switch (stage) {
            case ALREADY_EXISTS -> id + "Already exists";
            case EXTRACTING -> id + "Extracting";
            case PULL_COMPLETE -> id + "Pull complete";
            case DOWNLOADING -> id + "Downloading " + bar(done, total) + " " + size(done) + "/" + size(total);
        };
    }

    private static String bar(long done, long total) {
        int filled = total <= 0 ? 0 : (int) Math.min(BAR_WIDTH, done * BAR_WIDTH / total);
        return "[" + "=".repeat(Math.max(0, filled - 1)) + (filled > 0 ? ">" : "") + " ".repeat(BAR_WIDTH - filled) + "]";
    }

    private static String size(long bytes) {
        if (bytes < 1000) {
            return bytes + "B";
        }
        if (bytes < 1_000_000) {
            return String.format(Locale.ROOT, "%.1fkB", bytes / 1e3);
        }
        if (bytes < 1_000_000_000) {
            return String.format(Locale.ROOT, "%.1fMB", bytes / 1e6);
        }
        return String.format(Locale.ROOT, "%.2fGB", bytes / 1e9);
    }
}
