package dev.nvjrun.runtime.network.state;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.nvjrun.runtime.network.NetworkException;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * One JSON document in the state directory. Writes go to a temporary file that is renamed over
 * the old one, so a killed process leaves either the old or the new content, never half of it.
 */
public final class JsonFile<T> {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final Path path;
    private final JavaType type;

    private JsonFile(Path path, JavaType type) {
        this.path = path;
        this.type = type;
    }

    public static <T> JsonFile<T> of(Path path, Class<T> type) {
        return new JsonFile<>(path, MAPPER.constructType(type));
    }

    public static <T> JsonFile<T> of(Path path, JavaType type) {
        return new JsonFile<>(path, type);
    }

    /** Gives access to the shared mapper's type factory for generic documents such as maps. */
    public static com.fasterxml.jackson.databind.type.TypeFactory types() {
        return MAPPER.getTypeFactory();
    }

    public Path path() {
        return path;
    }

    public Optional<T> read() {
        if (!Files.exists(path)) {
            return Optional.empty();
        }
        try {
            return Optional.of(MAPPER.readValue(path.toFile(), type));
        } catch (IOException e) {
            throw new NetworkException("state file " + path + " is unreadable (" + e.getMessage()
                    + "); remove it and run `nvjrun system prune`", e);
        }
    }

    public void write(T value) {
        Path temp = path.resolveSibling("." + path.getFileName() + ".tmp");
        try {
            Files.createDirectories(path.getParent());
            MAPPER.writeValue(temp.toFile(), value);
            try {
                Files.move(temp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, path, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // The write already failed; the temporary file is harmless.
            }
            throw new NetworkException("cannot write state file " + path + ": " + e.getMessage()
                    + "; check that the state directory is writable and the disk is not full", e);
        }
    }

    public void delete() {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            throw new NetworkException("cannot remove state file " + path + ": " + e.getMessage()
                    + "; check the state directory's permissions", e);
        }
    }
}
