package dev.nvjrun.nvml.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;

/** The JSON form of the pages. ObjectWriter/ObjectReader are immutable, so sharing them is safe. */
final class ReportJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final ObjectWriter WRITER = MAPPER.writer();

    private ReportJson() {
    }

    static String write(Object page) {
        try {
            return WRITER.writeValueAsString(page);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + page.getClass().getSimpleName() + " as JSON", e);
        }
    }

    /** {@code page} names the endpoint the document should have come from, for the error message. */
    static <T> T read(String json, Class<T> type, String page) {
        ObjectReader reader = MAPPER.readerFor(type);
        try {
            return reader.readValue(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a valid " + type.getSimpleName() + " document: "
                    + e.getOriginalMessage() + ". Pass the output of " + page + " unchanged.", e);
        }
    }
}
