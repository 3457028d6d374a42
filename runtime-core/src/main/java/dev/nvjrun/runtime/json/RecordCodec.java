package dev.nvjrun.runtime.json;

import com.fasterxml.jackson.core.JsonFactory;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * JSON for nvjrun's own state files, on Jackson's streaming parser and generator only: data binding's
 * ObjectMapper cost a cold {@code nvjrun run} about 45 ms (its class initialisation, then introspection
 * of every record), this about 1 ms.
 *
 * <p>What it encodes: records (an object of their components, read back through the canonical
 * constructor, so the record's checks run), enums by name, String, int, long, boolean and their boxes,
 * {@code List}, {@code Set}, {@code Map<String, ?>}, {@code byte[]} as base64, {@link Path} as a file:
 * URI, and value types registered with {@link Builder#stringForm} (toString() out, a parse function in).
 * The output is the one data binding wrote for these types, so files of either stay readable. It reads
 * no annotations (at run time they cost a proxy class each); a type it cannot encode fails when its
 * document is made, not when a file is read.
 */
public final class RecordCodec {
    private final JsonFactory factory = new JsonFactory();
    private final Map<Class<?>, Function<String, ?>> stringForms;
    private final Set<Class<?>> addedLater;

    private RecordCodec(Map<Class<?>, Function<String, ?>> stringForms, Set<Class<?>> addedLater) {
        this.stringForms = Map.copyOf(stringForms);
        this.addedLater = Set.copyOf(addedLater);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Documents whose root is a {@code type}. */
    public <T> JsonDocument<T> document(Class<T> type) {
        return new JsonDocument<>(factory, shape(type));
    }

    /** Documents whose root is an object mapping names to {@code values}. */
    public <V> JsonDocument<Map<String, V>> mapDocument(Class<V> values) {
        return new JsonDocument<>(factory, new Shape.StringMap(shape(values)));
    }

    private Shape shape(Type type) {
        if (type instanceof ParameterizedType p && p.getRawType() instanceof Class<?> raw) {
            Type[] args = p.getActualTypeArguments();
            if (raw == List.class || raw == Set.class) {
                return new Shape.Array(shape(args[0]), raw == Set.class);
            }
            if (raw == Map.class && args[0] == String.class) {
                return new Shape.StringMap(shape(args[1]));
            }
        }
        if (type instanceof Class<?> c) {
            if (c == String.class) {
                return new Shape.Text();
            }
            if (c == int.class || c == Integer.class || c == long.class || c == Long.class) {
                return new Shape.Whole(c.isPrimitive(), c == long.class || c == Long.class);
            }
            if (c == boolean.class || c == Boolean.class) {
                return new Shape.Bool(c.isPrimitive());
            }
            if (c == byte[].class) {
                return new Shape.Bytes();
            }
            if (c == Path.class) {
                return new Shape.FilePath();
            }
            if (stringForms.containsKey(c)) {
                return new Shape.StringForm(c, stringForms.get(c));
            }
            if (c.isEnum()) {
                return Shape.Constant.of(c);
            }
            if (c.isRecord()) {
                Shape record = Shape.RecordObject.of(c, this::shape);
                return addedLater.contains(c) ? new Shape.AbsentAsNull(record) : record;
            }
        }
        throw new IllegalArgumentException("RecordCodec cannot encode " + type.getTypeName()
                + "; use records, enums, strings, numbers, booleans, lists, sets, maps with string keys, byte[], Path"
                + " or register a string form");
    }

    public static final class Builder {
        private final Map<Class<?>, Function<String, ?>> stringForms = new HashMap<>();
        private final Set<Class<?>> addedLater = new HashSet<>();

        private Builder() {
        }

        /**
         * Fields of record type {@code type} were added after documents without them were written: a
         * missing one reads as null rather than failing (a missing record is an error otherwise).
         */
        public Builder addedLater(Class<? extends Record> type) {
            addedLater.add(type);
            return this;
        }

        /** {@code type} is written as its toString() and read back with {@code parse}. */
        public <T> Builder stringForm(Class<T> type, Function<String, T> parse) {
            stringForms.put(type, parse);
            return this;
        }

        public RecordCodec build() {
            return new RecordCodec(stringForms, addedLater);
        }
    }
}
