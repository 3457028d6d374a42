package dev.nvjrun.launcher.container;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The times {@code logs --since/--until} accept, as Docker's timetypes.GetTimestamp: RFC 3339 (with a zone,
 * or without one in local time), a date, Unix seconds with an optional fraction, or a Go duration such as
 * {@code 10m} or {@code 1h30m} meaning that long before now.
 */
final class LogTime {
    private static final Pattern UNIX = Pattern.compile("\\d+(\\.\\d{1,9})?");
    private static final Pattern DURATION = Pattern.compile("((\\d+(\\.\\d*)?|\\.\\d+)(ns|us|µs|ms|s|m|h))+");
    private static final Pattern DURATION_PART = Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|µs|ms|s|m|h)");

    private LogTime() {
    }

    static Instant parse(String flag, String text, Instant now) {
        String t = text.strip();
        if (DURATION.matcher(t).matches()) {
            return now.minus(duration(t));
        }
        if (UNIX.matcher(t).matches()) {
            BigDecimal seconds = new BigDecimal(t);
            return Instant.ofEpochSecond(seconds.longValue(), seconds.remainder(BigDecimal.ONE).movePointRight(9).longValue());
        }
        try {
            return OffsetDateTime.parse(t).toInstant();
        } catch (DateTimeParseException notZoned) {
            // try the forms without a zone
        }
        try {
            return LocalDateTime.parse(t).atZone(ZoneId.systemDefault()).toInstant();
        } catch (DateTimeParseException notLocal) {
            // a date alone?
        }
        try {
            return LocalDate.parse(t).atStartOfDay(ZoneId.systemDefault()).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(flag + " value '" + text + "' is not a time; use an RFC 3339 time (2024-05-01T10:00:00Z),"
                    + " Unix seconds (1714557600) or a duration before now (10m, 1h30m)");
        }
    }

    private static Duration duration(String text) {
        Duration total = Duration.ZERO;
        Matcher m = DURATION_PART.matcher(text);
        while (m.find()) {
            BigDecimal amount = new BigDecimal(m.group(1).startsWith(".") ? "0" + m.group(1) : m.group(1));
            long nanosPerUnit = switch (m.group(2)) {
                case "ns" -> 1L;
                case "us", "µs" -> 1_000L;
                case "ms" -> 1_000_000L;
                case "s" -> 1_000_000_000L;
                case "m" -> 60_000_000_000L;
                default -> 3_600_000_000_000L;
            };
            total = total.plusNanos(amount.multiply(BigDecimal.valueOf(nanosPerUnit)).longValue());
        }
        return total;
    }
}
