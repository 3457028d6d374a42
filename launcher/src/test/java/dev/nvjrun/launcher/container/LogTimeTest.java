package dev.nvjrun.launcher.container;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LogTimeTest {
    private static final Instant NOW = Instant.parse("2024-05-01T12:00:00Z");

    @Test
    void acceptsWhatDockerLogsSinceAccepts() {
        assertEquals(Instant.parse("2024-05-01T10:00:00Z"), LogTime.parse("--since", "2024-05-01T10:00:00Z", NOW));
        assertEquals(Instant.parse("2024-05-01T08:00:00.5Z"), LogTime.parse("--since", "2024-05-01T10:00:00.5+02:00", NOW));
        assertEquals(Instant.ofEpochSecond(1714557600), LogTime.parse("--since", "1714557600", NOW));
        assertEquals(Instant.ofEpochSecond(1714557600, 250_000_000), LogTime.parse("--since", "1714557600.25", NOW));
        assertEquals(NOW.minus(Duration.ofMinutes(10)), LogTime.parse("--since", "10m", NOW));
        assertEquals(NOW.minus(Duration.ofMinutes(90)), LogTime.parse("--since", "1h30m", NOW));
        assertEquals(NOW.minus(Duration.ofMillis(1500)), LogTime.parse("--since", "1.5s", NOW));
    }

    @Test
    void refusesJunkWithOneSentence() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LogTime.parse("--since", "junk", NOW));
        assertTrue(e.getMessage().startsWith("--since value 'junk' is not a time"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> LogTime.parse("--until", "10x", NOW));
    }

    @Test
    void timestampsPrintLikeGosRfc3339Nano() {
        assertEquals("2024-05-01T10:00:00Z", LogFollower.rfc3339Nano(Instant.parse("2024-05-01T10:00:00Z")));
        assertEquals("2024-05-01T10:00:00.12Z", LogFollower.rfc3339Nano(Instant.parse("2024-05-01T10:00:00.120Z")));
        assertEquals("2024-05-01T10:00:00.000000001Z", LogFollower.rfc3339Nano(Instant.parse("2024-05-01T10:00:00.000000001Z")));
    }
}
