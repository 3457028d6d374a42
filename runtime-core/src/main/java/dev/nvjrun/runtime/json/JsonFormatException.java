package dev.nvjrun.runtime.json;

import java.io.IOException;

/**
 * A JSON document that does not have the shape its type asks for, or is not JSON at all. The message
 * names the field (as a dotted path from the document's root) and the reason; callers add the file.
 */
public final class JsonFormatException extends IOException {
    private final String field;
    private final String reason;
    private final boolean wholeDocument;

    JsonFormatException(String field, String reason, Throwable cause) {
        this(field, reason, cause, false);
    }

    private JsonFormatException(String field, String reason, Throwable cause, boolean wholeDocument) {
        super(field.isEmpty() ? reason : "field " + field + ": " + reason, cause);
        this.field = field;
        this.reason = reason;
        this.wholeDocument = wholeDocument;
    }

    /** A fault of the document as a whole (empty, cut short, not JSON): no field is to blame. */
    static JsonFormatException ofDocument(String reason, Throwable cause) {
        return new JsonFormatException("", reason, cause, true);
    }

    /** The dotted path of the offending field, empty for the document itself. */
    public String field() {
        return field;
    }

    /** The same error seen from the enclosing object, whose field {@code name} held the offending value. */
    JsonFormatException within(String name) {
        if (wholeDocument) {
            return this;
        }
        JsonFormatException outer = new JsonFormatException(field.isEmpty() ? name : name + "." + field, reason, getCause());
        outer.setStackTrace(getStackTrace());
        return outer;
    }
}
