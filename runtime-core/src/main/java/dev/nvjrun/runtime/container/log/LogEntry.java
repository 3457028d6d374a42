package dev.nvjrun.runtime.container.log;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * One entry of Docker's json-file log: {@code {"log":"text","stream":"stdout"|"stderr","time":"RFC3339Nano"}}.
 * {@code text} ends with a newline unless it is part of a line longer than 16 KiB.
 */
public record LogEntry(String text, boolean stderr, Instant time) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The entry on one line of the file, or empty when the line is not one (a crash can truncate the last). */
    public static Optional<LogEntry> parse(String line) {
        try {
            JsonNode node = JSON.readTree(line);
            if (node == null || !node.path("log").isTextual() || !node.path("time").isTextual()) {
                return Optional.empty();
            }
            String stream = node.path("stream").asText("stdout");
            return Optional.of(new LogEntry(node.get("log").asText(), stream.equals("stderr"), Instant.parse(node.get("time").asText())));
        } catch (JsonProcessingException | DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
