package dev.nvjrun.runtime.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamReadException;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * How one Java type looks in JSON, with the code that writes and reads it through Jackson's streaming
 * API. {@link #read} starts at the value's first token (already current) and leaves the parser on its
 * last one. {@link #absent} is the value of a field the document leaves out.
 */
sealed interface Shape {

    void write(JsonGenerator g, Object value) throws IOException;

    Object read(JsonParser p) throws IOException;

    /** The value of a missing field: zero, false, null or empty; or an error where no default makes sense. */
    default Object absent() throws JsonFormatException {
        return null;
    }

    /**
     * A record type added to a document after files without it were written: such files read it as
     * null (the owner of the field says what null means), instead of the error a missing object is.
     */
    record AbsentAsNull(Shape inner) implements Shape {
        public void write(JsonGenerator g, Object value) throws IOException {
            inner.write(g, value);
        }

        public Object read(JsonParser p) throws IOException {
            return inner.read(p);
        }

        @Override
        public Object absent() {
            return null;
        }
    }

    record Text() implements Shape {
        public void write(JsonGenerator g, Object value) throws IOException {
            g.writeString((String) value);
        }

        public Object read(JsonParser p) throws IOException {
            return switch (p.currentToken()) {
                case VALUE_STRING -> p.getText();
                case VALUE_NULL -> null;
                default -> throw mismatch(p, "a string");
            };
        }
    }

    /** int, long and their boxes; a box may be null, a primitive reads 0 when absent. */
    record Whole(boolean primitive, boolean isLong) implements Shape {
        public void write(JsonGenerator g, Object value) throws IOException {
            if (isLong) {
                g.writeNumber((Long) value);
            } else {
                g.writeNumber((Integer) value);
            }
        }

        public Object read(JsonParser p) throws IOException {
            return switch (p.currentToken()) {
                case VALUE_NUMBER_INT -> isLong ? (Object) p.getLongValue() : (Object) p.getIntValue();
                case VALUE_NULL -> {
                    if (primitive) {
                        throw mismatch(p, "a whole number");
                    }
                    yield null;
                }
                default -> throw mismatch(p, "a whole number");
            };
        }

        @Override
        public Object absent() {
            return primitive ? (isLong ? (Object) 0L : (Object) 0) : null;
        }
    }

    record Bool(boolean primitive) implements Shape {
        public void write(JsonGenerator g, Object value) throws IOException {
            g.writeBoolean((Boolean) value);
        }

        public Object read(JsonParser p) throws IOException {
            return switch (p.currentToken()) {
                case VALUE_TRUE -> Boolean.TRUE;
                case VALUE_FALSE -> Boolean.FALSE;
                case VALUE_NULL -> {
                    if (primitive) {
                        throw mismatch(p, "true or false");
                    }
                    yield null;
                }
                default -> throw mismatch(p, "true or false");
            };
        }

        @Override
        public Object absent() {
            return primitive ? Boolean.FALSE : null;
        }
    }

    /** byte[] as base64, as data binding wrote it. */
    record Bytes() implements Shape {
        public void write(JsonGenerator g, Object value) throws IOException {
            g.writeBinary((byte[]) value);
        }

        public Object read(JsonParser p) throws IOException {
            return switch (p.currentToken()) {
                case VALUE_STRING -> {
                    try {
                        yield p.getBinaryValue();
                    } catch (com.fasterxml.jackson.core.io.JsonEOFException e) {
                        throw malformed(e);
                    } catch (StreamReadException e) {
                        throw new JsonFormatException("", "expected base64 text " + at(p), e);
                    }
                }
                case VALUE_NULL -> null;
                default -> throw mismatch(p, "base64 text");
            };
        }

        @Override
        public Object absent() {
            return new byte[0];
        }
    }

    /** A path as a file: URI, the form data binding wrote; plain paths are read too. */
    record FilePath() implements Shape {
        public void write(JsonGenerator g, Object value) throws IOException {
            g.writeString(((Path) value).toUri().toString());
        }

        public Object read(JsonParser p) throws IOException {
            return switch (p.currentToken()) {
                case VALUE_STRING -> {
                    String text = p.getText();
                    try {
                        yield text.startsWith("file:") ? Path.of(URI.create(text)) : Path.of(text);
                    } catch (RuntimeException e) {
                        throw new JsonFormatException("", "'" + text + "' is not a path " + at(p), e);
                    }
                }
                case VALUE_NULL -> null;
                default -> throw mismatch(p, "a path");
            };
        }
    }

    /** A value type whose JSON form is its toString() and which parses back from it (an address, a digest). */
    record StringForm(Class<?> type, Function<String, ?> parse) implements Shape {
        public void write(JsonGenerator g, Object value) throws IOException {
            g.writeString(value.toString());
        }

        public Object read(JsonParser p) throws IOException {
            return switch (p.currentToken()) {
                case VALUE_STRING -> {
                    try {
                        yield parse.apply(p.getText());
                    } catch (RuntimeException e) {
                        throw new JsonFormatException("", e.getMessage() + " " + at(p), e);
                    }
                }
                case VALUE_NULL -> null;
                default -> throw mismatch(p, "a " + type.getSimpleName() + " as a string");
            };
        }
    }

    /** An enum constant by its name. */
    record Constant(Class<?> type, Map<String, Object> byName) implements Shape {
        static Constant of(Class<?> type) {
            Map<String, Object> byName = new HashMap<>();
            for (Object c : type.getEnumConstants()) {
                byName.put(((Enum<?>) c).name(), c);
            }
            return new Constant(type, byName);
        }

        public void write(JsonGenerator g, Object value) throws IOException {
            g.writeString(((Enum<?>) value).name());
        }

        public Object read(JsonParser p) throws IOException {
            return switch (p.currentToken()) {
                case VALUE_STRING -> {
                    Object c = byName.get(p.getText());
                    if (c == null) {
                        throw new JsonFormatException("", "'" + p.getText() + "' is not a " + type.getSimpleName()
                                + "; expected one of " + byName.keySet().stream().sorted().toList() + " " + at(p), null);
                    }
                    yield c;
                }
                case VALUE_NULL -> null;
                default -> throw mismatch(p, "a " + type.getSimpleName() + " name");
            };
        }

        @Override
        public Object absent() throws JsonFormatException {
            throw new JsonFormatException("", "is missing", null);
        }
    }

    /** A List or a Set, as an array; sets of enum constants are written in declaration order. */
    record Array(Shape element, boolean set) implements Shape {
        public void write(JsonGenerator g, Object value) throws IOException {
            Collection<?> values = (Collection<?>) value;
            if (set && element instanceof Constant) {
                values = values.stream().map(v -> (Enum<?>) v).sorted().toList();
            }
            g.writeStartArray();
            for (Object v : values) {
                writeOrNull(g, element, v);
            }
            g.writeEndArray();
        }

        public Object read(JsonParser p) throws IOException {
            if (p.currentToken() == JsonToken.VALUE_NULL) {
                return absent();
            }
            if (p.currentToken() != JsonToken.START_ARRAY) {
                throw mismatch(p, "an array");
            }
            Collection<Object> values = set ? new LinkedHashSet<>() : new ArrayList<>();
            int index = 0;
            while (next(p) != JsonToken.END_ARRAY) {
                try {
                    values.add(element.read(p));
                } catch (JsonFormatException e) {
                    throw e.within(Integer.toString(index));
                }
                index++;
            }
            return values;
        }

        @Override
        public Object absent() {
            return set ? Set.of() : List.of();
        }
    }

    /** A Map with String keys, as an object; entries keep the document's order. */
    record StringMap(Shape value) implements Shape {
        public void write(JsonGenerator g, Object map) throws IOException {
            g.writeStartObject();
            for (Map.Entry<?, ?> e : ((Map<?, ?>) map).entrySet()) {
                g.writeFieldName((String) e.getKey());
                writeOrNull(g, value, e.getValue());
            }
            g.writeEndObject();
        }

        public Object read(JsonParser p) throws IOException {
            if (p.currentToken() == JsonToken.VALUE_NULL) {
                return absent();
            }
            if (p.currentToken() != JsonToken.START_OBJECT) {
                throw mismatch(p, "an object");
            }
            Map<String, Object> values = new LinkedHashMap<>();
            while (next(p) == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                next(p);
                try {
                    values.put(key, value.read(p));
                } catch (JsonFormatException e) {
                    throw e.within(key);
                }
            }
            return values;
        }

        @Override
        public Object absent() {
            return Map.of();
        }
    }

    /**
     * A record as an object of its components, by name and in declaration order; read through its
     * canonical constructor, so the record's own checks run. Unknown fields are skipped.
     */
    record RecordObject(Class<?> type, String[] names, Method[] accessors, Shape[] components, Constructor<?> constructor)
            implements Shape {

        static RecordObject of(Class<?> type, Function<java.lang.reflect.Type, Shape> shapes) {
            RecordComponent[] rc = type.getRecordComponents();
            String[] names = new String[rc.length];
            Method[] accessors = new Method[rc.length];
            Shape[] components = new Shape[rc.length];
            Class<?>[] types = new Class<?>[rc.length];
            for (int i = 0; i < rc.length; i++) {
                names[i] = rc[i].getName();
                accessors[i] = rc[i].getAccessor();
                accessors[i].setAccessible(true);
                types[i] = rc[i].getType();
                components[i] = shapes.apply(rc[i].getGenericType());
            }
            try {
                Constructor<?> constructor = type.getDeclaredConstructor(types);
                constructor.setAccessible(true);
                return new RecordObject(type, names, accessors, components, constructor);
            } catch (NoSuchMethodException e) {
                throw new IllegalStateException("record " + type.getName() + " has no canonical constructor", e);
            }
        }

        public void write(JsonGenerator g, Object value) throws IOException {
            g.writeStartObject();
            for (int i = 0; i < names.length; i++) {
                g.writeFieldName(names[i]);
                Object component;
                try {
                    component = accessors[i].invoke(value);
                } catch (IllegalAccessException | InvocationTargetException e) {
                    throw new IllegalStateException("cannot read " + type.getSimpleName() + "." + names[i], e);
                }
                writeOrNull(g, components[i], component);
            }
            g.writeEndObject();
        }

        public Object read(JsonParser p) throws IOException {
            if (p.currentToken() == JsonToken.VALUE_NULL) {
                return null;
            }
            if (p.currentToken() != JsonToken.START_OBJECT) {
                throw mismatch(p, "an object");
            }
            Object[] values = new Object[names.length];
            boolean[] seen = new boolean[names.length];
            while (next(p) == JsonToken.FIELD_NAME) {
                int i = indexOf(p.currentName());
                next(p);
                if (i < 0) {
                    p.skipChildren(); // written by a newer nvjrun, or no longer used
                    continue;
                }
                try {
                    values[i] = components[i].read(p);
                } catch (JsonFormatException e) {
                    throw e.within(names[i]);
                } catch (StreamReadException e) {
                    throw malformed(e).within(names[i]);
                }
                seen[i] = true;
            }
            for (int i = 0; i < names.length; i++) {
                if (!seen[i]) {
                    try {
                        values[i] = components[i].absent();
                    } catch (JsonFormatException e) {
                        throw e.within(names[i]);
                    }
                }
            }
            try {
                return constructor.newInstance(values);
            } catch (InvocationTargetException e) {
                Throwable why = e.getCause();
                throw new JsonFormatException("", "is not a valid " + type.getSimpleName() + ": " + why.getMessage(), why);
            } catch (InstantiationException | IllegalAccessException e) {
                throw new IllegalStateException("cannot construct " + type.getName(), e);
            }
        }

        @Override
        public Object absent() throws JsonFormatException {
            throw new JsonFormatException("", "is missing", null);
        }

        private int indexOf(String name) {
            for (int i = 0; i < names.length; i++) {
                if (names[i].equals(name)) {
                    return i;
                }
            }
            return -1;
        }
    }

    private static void writeOrNull(JsonGenerator g, Shape shape, Object value) throws IOException {
        if (value == null) {
            g.writeNull();
        } else {
            shape.write(g, value);
        }
    }

    private static JsonToken next(JsonParser p) throws IOException {
        JsonToken t = p.nextToken();
        if (t == null) {
            throw JsonFormatException.ofDocument("the document ends early; it is truncated", null);
        }
        return t;
    }

    private static JsonFormatException mismatch(JsonParser p, String expected) {
        return new JsonFormatException("", "expected " + expected + " but found " + found(p.currentToken()) + " " + at(p), null);
    }

    static String found(JsonToken t) {
        return switch (t) {
            case START_OBJECT, END_OBJECT -> "an object";
            case START_ARRAY, END_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> t.name();
        };
    }

    /** Jackson's own complaint (not JSON, cut short, a number too large) as one sentence with its place. */
    static JsonFormatException malformed(StreamReadException e) {
        String what = e instanceof com.fasterxml.jackson.core.io.JsonEOFException ? "the document ends early; it is truncated"
                : "it is not valid JSON: " + e.getOriginalMessage().lines().findFirst().orElse("").replaceAll(" \\(start marker.*", "");
        var l = e.getLocation();
        return JsonFormatException.ofDocument(l == null ? what : what + " (line " + l.getLineNr() + ", column " + l.getColumnNr() + ")", e);
    }

    static String at(JsonParser p) {
        var l = p.currentTokenLocation();
        return "(line " + l.getLineNr() + ", column " + l.getColumnNr() + ")";
    }
}
