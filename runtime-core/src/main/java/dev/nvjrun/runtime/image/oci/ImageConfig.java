package dev.nvjrun.runtime.image.oci;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import dev.nvjrun.runtime.store.Digest;
import dev.nvjrun.runtime.store.StoreException;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parts of an image config that nvjrun acts on. The raw JSON stays the source of truth (it
 * is hashed, saved and shown by inspect); this record is what container creation reads.
 *
 * @param labels includes nvidia-docker's {@code com.nvidia.volumes.needed} and
 *               {@code com.nvidia.cuda.version} when the image sets them
 * @param exposedPorts the keys of {@code config.ExposedPorts} ({@code "80/tcp"}), in image order, for {@code run -P}
 */
public record ImageConfig(String architecture, String os, String created, List<String> entrypoint, List<String> cmd,
                          List<String> env, String workingDir, String user, Map<String, String> labels,
                          List<Digest> diffIds, List<String> exposedPorts) {

    private static final JsonFactory STREAM = new JsonFactory();

    public ImageConfig {
        entrypoint = List.copyOf(entrypoint);
        cmd = List.copyOf(cmd);
        env = List.copyOf(env);
        labels = Map.copyOf(labels);
        diffIds = List.copyOf(diffIds);
        exposedPorts = List.copyOf(exposedPorts);
    }

    /** An image config that exposes no ports. */
    public ImageConfig(String architecture, String os, String created, List<String> entrypoint, List<String> cmd,
                       List<String> env, String workingDir, String user, Map<String, String> labels, List<Digest> diffIds) {
        this(architecture, os, created, entrypoint, cmd, env, workingDir, user, labels, diffIds, List.of());
    }

    /**
     * Reads the fields above from an image config written by any tool, with Jackson's streaming parser
     * (data binding's start-up cost would be paid by every {@code run}); everything else is skipped.
     * Scalars where a string is expected read as their text, as before.
     */
    public static ImageConfig parse(byte[] json) throws IOException {
        try (JsonParser p = STREAM.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("the image config is not a JSON object");
            }
            Fields root = new Fields();
            while (next(p) == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                next(p);
                switch (field) {
                    case "architecture" -> root.architecture = text(p);
                    case "os" -> root.os = text(p);
                    case "created" -> root.created = text(p);
                    case "config" -> readConfig(p, root);
                    case "rootfs" -> readRootfs(p, root);
                    default -> p.skipChildren();
                }
            }
            return new ImageConfig(root.architecture, root.os, root.created, root.entrypoint, root.cmd, root.env,
                    root.workingDir, root.user, root.labels, root.diffIds, root.exposedPorts);
        } catch (StoreException e) {
            throw new IOException(e.getMessage(), e);
        } catch (JsonEOFException e) {
            throw new IOException("the image config ends early; it is truncated", e);
        } catch (StreamReadException e) {
            var at = e.getLocation();
            throw new IOException("the image config is not valid JSON: " + e.getOriginalMessage().lines().findFirst().orElse("")
                    + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"), e);
        }
    }

    /** What the parse has found so far; absent fields stay empty. */
    private static final class Fields {
        String architecture = "";
        String os = "";
        String created = "";
        List<String> entrypoint = List.of();
        List<String> cmd = List.of();
        List<String> env = List.of();
        String workingDir = "";
        String user = "";
        Map<String, String> labels = new LinkedHashMap<>();
        List<Digest> diffIds = new ArrayList<>();
        List<String> exposedPorts = new ArrayList<>();
    }

    private static void readConfig(JsonParser p, Fields f) throws IOException {
        eachField(p, (field, q) -> {
            switch (field) {
                case "Entrypoint" -> f.entrypoint = strings(q);
                case "Cmd" -> f.cmd = strings(q);
                case "Env" -> f.env = strings(q);
                case "WorkingDir" -> f.workingDir = text(q);
                case "User" -> f.user = text(q);
                case "Labels" -> eachField(q, (name, value) -> f.labels.put(name, scalar(value)));
                case "ExposedPorts" -> eachField(q, (port, value) -> {
                    f.exposedPorts.add(port);
                    value.skipChildren();
                });
                default -> q.skipChildren();
            }
        });
    }

    private static void readRootfs(JsonParser p, Fields f) throws IOException {
        eachField(p, (field, q) -> {
            if (field.equals("diff_ids")) {
                strings(q).forEach(d -> f.diffIds.add(Digest.parse(d)));
            } else {
                q.skipChildren();
            }
        });
    }

    /** Reads one field's value: the parser is on its first token and must be left on its last. */
    private interface FieldReader {
        void read(String name, JsonParser value) throws IOException;
    }

    /** Hands each field of the object at the parser to {@code reader}; anything but an object is skipped. */
    private static void eachField(JsonParser p, FieldReader reader) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            p.skipChildren();
            return;
        }
        while (next(p) == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            next(p);
            reader.read(name, p);
        }
    }

    /** A field's text: null reads empty, other values as {@link #scalar}. */
    private static String text(JsonParser p) throws IOException {
        return p.currentToken() == JsonToken.VALUE_NULL ? "" : scalar(p);
    }

    /** A scalar's text as data binding's asText() gave it (null reads "null"); an object or array reads empty. */
    private static String scalar(JsonParser p) throws IOException {
        if (p.currentToken().isScalarValue()) {
            return p.getText();
        }
        p.skipChildren();
        return "";
    }

    /** An array's scalars as text; anything but an array reads as no values. */
    private static List<String> strings(JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            p.skipChildren();
            return List.of();
        }
        List<String> values = new ArrayList<>();
        while (next(p) != JsonToken.END_ARRAY) {
            values.add(scalar(p));
        }
        return values;
    }

    private static JsonToken next(JsonParser p) throws IOException {
        JsonToken t = p.nextToken();
        if (t == null) {
            throw new IOException("the image config ends early; it is truncated");
        }
        return t;
    }
}
