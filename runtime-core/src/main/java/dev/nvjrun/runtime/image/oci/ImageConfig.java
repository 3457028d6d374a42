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
        if (p.currentToken() != JsonToken.START_OBJECT) {
            p.skipChildren();
            return;
        }
        while (next(p) == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            next(p);
            switch (field) {
                case "Entrypoint" -> f.entrypoint = strings(p);
                case "Cmd" -> f.cmd = strings(p);
                case "Env" -> f.env = strings(p);
                case "WorkingDir" -> f.workingDir = text(p);
                case "User" -> f.user = text(p);
                case "Labels" -> {
                    if (p.currentToken() == JsonToken.START_OBJECT) {
                        while (next(p) == JsonToken.FIELD_NAME) {
                            String name = p.currentName();
                            next(p);
                            f.labels.put(name, scalar(p));
                        }
                    } else {
                        p.skipChildren();
                    }
                }
                case "ExposedPorts" -> {
                    if (p.currentToken() == JsonToken.START_OBJECT) {
                        while (next(p) == JsonToken.FIELD_NAME) {
                            f.exposedPorts.add(p.currentName());
                            next(p);
                            p.skipChildren();
                        }
                    } else {
                        p.skipChildren();
                    }
                }
                default -> p.skipChildren();
            }
        }
    }

    private static void readRootfs(JsonParser p, Fields f) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            p.skipChildren();
            return;
        }
        while (next(p) == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            next(p);
            if (field.equals("diff_ids")) {
                strings(p).forEach(d -> f.diffIds.add(Digest.parse(d)));
            } else {
                p.skipChildren();
            }
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
