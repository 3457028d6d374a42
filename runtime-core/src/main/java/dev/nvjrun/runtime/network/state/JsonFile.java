package dev.nvjrun.runtime.network.state;

import dev.nvjrun.runtime.json.JsonDocument;
import dev.nvjrun.runtime.json.JsonFormatException;
import dev.nvjrun.runtime.json.RecordCodec;
import dev.nvjrun.runtime.network.NetworkException;
import dev.nvjrun.runtime.network.address.Ipv4Address;
import dev.nvjrun.runtime.network.address.Subnet;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Optional;

/**
 * One JSON document in the state directory. Writes go to a temporary file that is renamed over
 * the old one, so a killed process leaves either the old or the new content, never half of it.
 */
public final class JsonFile<T> {
    /** Addresses and subnets are strings in these files ("10.88.0.2", "10.88.0.0/16"). */
    private static final RecordCodec CODEC = RecordCodec.builder()
            .stringForm(Ipv4Address.class, Ipv4Address::parse)
            .stringForm(Subnet.class, Subnet::parse)
            .build();

    private final Path path;
    private final JsonDocument<T> document;

    private JsonFile(Path path, JsonDocument<T> document) {
        this.path = path;
        this.document = document;
    }

    public static <T> JsonFile<T> of(Path path, JsonDocument<T> document) {
        return new JsonFile<>(path, document);
    }

    /** The form of documents holding a {@code type}; make it once and keep it (it looks the type over by reflection). */
    public static <T> JsonDocument<T> document(Class<T> type) {
        return CODEC.document(type);
    }

    /** The form of documents mapping names to {@code values}. */
    public static <V> JsonDocument<Map<String, V>> mapDocument(Class<V> values) {
        return CODEC.mapDocument(values);
    }

    public Path path() {
        return path;
    }

    public Optional<T> read() {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new NetworkException("cannot read state file " + path + ": " + e.getMessage()
                    + "; check the state directory's permissions", e);
        }
        try {
            return Optional.of(document.read(bytes));
        } catch (JsonFormatException e) {
            throw new NetworkException("state file " + path + " is unreadable (" + e.getMessage()
                    + "); remove it and run `nvjrun system prune`", e);
        }
    }

    public void write(T value) {
        Path temp = path.resolveSibling("." + path.getFileName() + ".tmp");
        try {
            Files.createDirectories(path.getParent());
            Files.write(temp, document.write(value));
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
