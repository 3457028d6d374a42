package dev.nvjrun.nvml.report;

import java.util.ArrayList;
import java.util.List;

/**
 * Lays out a page the way nvidia-docker 1.0 did with Go's text/tabwriter (minwidth 0, padding 0,
 * space padding): consecutive label/value rows form a block whose values start one column after the
 * block's longest label; any plain line ends the block.
 */
final class AlignedText {
    private sealed interface Line permits Plain, Row {
    }

    private record Plain(String text) implements Line {
    }

    private record Row(String label, String value) implements Line {
    }

    private final List<Line> lines = new ArrayList<>();

    AlignedText line(String text) {
        lines.add(new Plain(text));
        return this;
    }

    /** {@code label} carries its own trailing spaces, as 1.0's template did ("  Model:  "). */
    AlignedText row(String label, String value) {
        lines.add(new Row(label, value));
        return this;
    }

    String render() {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < lines.size()) {
            if (lines.get(i) instanceof Plain plain) {
                out.append(plain.text()).append('\n');
                i++;
                continue;
            }
            int end = i;
            int width = 0;
            while (end < lines.size() && lines.get(end) instanceof Row row) {
                width = Math.max(width, columns(row.label()));
                end++;
            }
            for (; i < end; i++) {
                Row row = (Row) lines.get(i);
                out.append(row.label()).append(" ".repeat(width - columns(row.label())))
                        .append(row.value()).append('\n');
            }
        }
        return out.toString();
    }

    /** tabwriter counts UTF-8 characters, not bytes. */
    private static int columns(String text) {
        return text.codePointCount(0, text.length());
    }
}
