package dev.nvjrun.runtime.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamReadException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/** One kind of JSON document (a state file, say): the type of its root and how to write and read it. */
public final class JsonDocument<T> {
    private final JsonFactory factory;
    private final Shape root;

    JsonDocument(JsonFactory factory, Shape root) {
        this.factory = factory;
        this.root = root;
    }

    /** The document, indented as data binding's INDENT_OUTPUT wrote it; nulls are written, not left out. */
    public byte[] write(T value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        try (JsonGenerator g = factory.createGenerator(out)) {
            g.useDefaultPrettyPrinter();
            if (value == null) {
                g.writeNull();
            } else {
                root.write(g, value);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode " + value + " as JSON", e); // no I/O happens: a ByteArrayOutputStream
        }
        return out.toByteArray();
    }

    /**
     * Reads a document; fields it does not know are skipped, fields it lacks get {@link Shape#absent()}.
     *
     * @throws JsonFormatException naming the field and the reason when the document is not of this type
     *                             or not JSON at all (empty, truncated)
     */
    @SuppressWarnings("unchecked")
    public T read(byte[] json) throws JsonFormatException {
        try (JsonParser p = factory.createParser(json)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                throw JsonFormatException.ofDocument("the document is empty", null);
            }
            return (T) root.read(p);
        } catch (StreamReadException e) {
            throw Shape.malformed(e);
        } catch (JsonFormatException e) {
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException(e); // parsing a byte array does no I/O
        }
    }
}
