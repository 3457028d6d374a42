package dev.nvjrun.launcher.image;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/** Docker's "CREATED" column: how long ago, in the words of its go-units HumanDuration. */
record Since(Instant then, Instant now) {

    /** {@code created} as an image config writes it (RFC 3339); unreadable or absent gives "N/A". */
    static String of(String created, Instant now) {
        try {
            return new Since(Instant.parse(created), now).toString();
        } catch (DateTimeParseException | NullPointerException unreadable) {
            return "N/A";
        }
    }

    @Override
    public String toString() {
        Duration age = Duration.between(then, now);
        long seconds = age.toSeconds();
        if (seconds < 1) {
            return "Less than a second ago";
        }
        if (seconds == 1) {
            return "1 second ago";
        }
        if (seconds < 60) {
            return seconds + " seconds ago";
        }
        long minutes = age.toMinutes();
        if (minutes == 1) {
            return "About a minute ago";
        }
        if (minutes < 60) {
            return minutes + " minutes ago";
        }
        long hours = Math.round(age.toSeconds() / 3600.0);
        if (hours == 1) {
            return "About an hour ago";
        }
        if (hours < 48) {
            return hours + " hours ago";
        }
        if (hours < 24 * 7 * 2) {
            return hours / 24 + " days ago";
        }
        if (hours < 24 * 30 * 2) {
            return hours / 24 / 7 + " weeks ago";
        }
        if (hours < 24 * 365 * 2) {
            return hours / 24 / 30 + " months ago";
        }
        return hours / 24 / 365 + " years ago";
    }
}
