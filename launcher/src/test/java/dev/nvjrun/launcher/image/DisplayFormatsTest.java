package dev.nvjrun.launcher.image;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Sizes, ages and names as Docker prints them in {@code images}. */
class DisplayFormatsTest {

    @Test
    void sizesUseDecimalUnitsAndThreeSignificantDigits() {
        assertEquals("0B", new ByteSize(0).toString());
        assertEquals("999B", new ByteSize(999).toString());
        assertEquals("1kB", new ByteSize(1000).toString());
        assertEquals("4.26MB", new ByteSize(4_261_000).toString());
        assertEquals("1MB", new ByteSize(999_999).toString(), "rounding up carries into the next unit");
        assertEquals("123MB", new ByteSize(123_456_789).toString());
        assertEquals("2.5GB", new ByteSize(2_500_000_000L).toString());
    }

    @Test
    void agesReadLikeDockers() {
        Instant now = Instant.parse("2026-01-31T12:00:00Z");
        assertEquals("Less than a second ago", since(now, Duration.ZERO));
        assertEquals("45 seconds ago", since(now, Duration.ofSeconds(45)));
        assertEquals("About a minute ago", since(now, Duration.ofSeconds(90)));
        assertEquals("5 minutes ago", since(now, Duration.ofMinutes(5)));
        assertEquals("About an hour ago", since(now, Duration.ofMinutes(70)));
        assertEquals("30 hours ago", since(now, Duration.ofHours(30)));
        assertEquals("3 days ago", since(now, Duration.ofDays(3)));
        assertEquals("3 weeks ago", since(now, Duration.ofDays(21)));
        assertEquals("5 months ago", since(now, Duration.ofDays(150)));
        assertEquals("3 years ago", since(now, Duration.ofDays(3 * 365 + 1)));
        assertEquals("N/A", Since.of("yesterday", now));
        assertEquals("N/A", Since.of("", now));
    }

    private static String since(Instant now, Duration age) {
        return Since.of(now.minus(age).toString(), now);
    }

    @Test
    void namesSplitIntoFamiliarRepositoryAndTag() {
        assertEquals(new ImageName("busybox", "latest"), ImageName.of("docker.io/library/busybox:latest"));
        assertEquals(new ImageName("nvidia/cuda", "12.4.1-base"), ImageName.of("docker.io/nvidia/cuda:12.4.1-base"));
        assertEquals(new ImageName("localhost:5000/a/b", "1"), ImageName.of("localhost:5000/a/b:1"));
        assertEquals(new ImageName("busybox", "<none>"),
                ImageName.of("docker.io/library/busybox@sha256:" + "a".repeat(64)));
        assertEquals("busybox:1", ImageName.of("docker.io/library/busybox:1").familiar());
    }

    @Test
    void terminalIsToldFromTheFileDescriptorsTarget() throws Exception {
        Path fds = Files.createTempDirectory("fds");
        try {
            Files.createSymbolicLink(fds.resolve("0"), Path.of("/dev/pts/3"));
            Files.createSymbolicLink(fds.resolve("1"), Path.of("pipe:[1234]"));
            Terminal terminal = new Terminal(fds);
            assertTrue(terminal.stdin());
            assertFalse(terminal.stdout());
            assertFalse(terminal.isTerminal(2), "an unknown descriptor is no terminal");
        } finally {
            for (String fd : new String[] {"0", "1"}) {
                Files.deleteIfExists(fds.resolve(fd));
            }
            Files.delete(fds);
        }
    }
}
