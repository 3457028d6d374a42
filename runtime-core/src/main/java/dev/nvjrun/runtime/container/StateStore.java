package dev.nvjrun.runtime.container;

import dev.nvjrun.runtime.json.JsonDocument;
import dev.nvjrun.runtime.json.JsonFormatException;
import dev.nvjrun.runtime.json.RecordCodec;

import dev.nvjrun.runtime.store.ProcessFileLock;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Container state on disk, shared by every nvjrun process: {@code <root>/containers/<id>/state.json},
 * written atomically, each container guarded by a file lock in {@code <root>/locks/} (other processes;
 * kept outside the container directory, which a self-removing supervisor deletes) and a lock per id
 * (other threads of this JVM, which file locks do not separate; another StateStore of the same JVM
 * is waited for by polling).
 */
final class StateStore {
    private final Path containers;
    private final Path locks;
    /** LogConfig came after the first state files (commit 0444368's have none): absent means json-file. */
    private final JsonDocument<ContainerState> json = RecordCodec.builder().addedLater(LogConfig.class).build()
            .document(ContainerState.class);
    private final ConcurrentHashMap<String, ReentrantLock> threadLocks = new ConcurrentHashMap<>();
    /**
     * The last state this store wrote or read per container, with the identity of the file it came from.
     * A start reads the same state several times (inspect, launch, refresh, remove); while the file is the
     * one we know (same inode, modification time and size: every writer replaces it by rename), parsing
     * it again would return the same record.
     */
    private final ConcurrentHashMap<String, Known> known = new ConcurrentHashMap<>();

    private record Known(Object fileKey, FileTime modified, long size, ContainerState state) {
        boolean describes(BasicFileAttributes file) {
            return fileKey != null && fileKey.equals(file.fileKey()) && modified.equals(file.lastModifiedTime()) && size == file.size();
        }
    }

    StateStore(Path root) {
        this.containers = root.resolve("containers");
        this.locks = root.resolve("locks");
        try {
            Files.createDirectories(containers);
            Files.createDirectories(locks);
        } catch (IOException e) {
            throw new ContainerException("cannot create the state directory " + containers + ": " + e.getMessage()
                    + "; run as root or choose another --root", e);
        }
    }

    Path dir(String id) {
        return containers.resolve(id);
    }

    void save(ContainerState state) {
        Path file = dir(state.id()).resolve("state.json");
        try {
            Path tmp = dir(state.id()).resolve("state.json.tmp");
            Files.write(tmp, json.write(state));
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            BasicFileAttributes written = Files.readAttributes(file, BasicFileAttributes.class);
            known.put(state.id(), new Known(written.fileKey(), written.lastModifiedTime(), written.size(), state));
        } catch (IOException e) {
            throw new ContainerException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    Optional<ContainerState> load(String id) {
        Path file = dir(id).resolve("state.json");
        byte[] bytes;
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, BasicFileAttributes.class);
            Known last = known.get(id);
            if (last != null && last.describes(attributes)) {
                return Optional.of(last.state());
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            known.remove(id);
            return Optional.empty();
        } catch (IOException e) {
            throw new ContainerException("cannot read the state file " + file + ": " + e.getMessage(), e);
        }
        try {
            ContainerState state = json.read(bytes);
            known.put(id, new Known(attributes.fileKey(), attributes.lastModifiedTime(), attributes.size(), state));
            return Optional.of(state);
        } catch (JsonFormatException e) {
            throw new ContainerException("the state file " + file + " is unreadable (" + e.getMessage()
                    + "); remove the directory " + dir(id) + " by hand", e);
        }
    }

    List<String> ids() {
        try (Stream<Path> s = Files.list(containers)) {
            return s.filter(p -> Files.exists(p.resolve("state.json"))).map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An exact id, an exact name or a unique id prefix, as Docker accepts them. */
    String resolve(String ref) {
        List<String> ids = ids();
        if (ids.contains(ref)) {
            return ref;
        }
        for (String id : ids) {
            if (load(id).map(s -> s.name().equals(ref)).orElse(false)) {
                return id;
            }
        }
        List<String> prefixed = new ArrayList<>(ids.stream().filter(id -> id.startsWith(ref)).toList());
        if (prefixed.size() > 1) {
            throw new ContainerException("container reference '" + ref + "' is ambiguous: it starts " + prefixed.size()
                    + " container ids; give more characters of the id", 125);
        }
        if (prefixed.isEmpty() || ref.isEmpty()) {
            throw new ContainerException("no such container: " + ref, 125);
        }
        return prefixed.get(0);
    }

    /** Runs {@code action} holding the lock of {@code key} (a container id, or "" for the whole store). */
    <T> T locked(String key, Supplier<T> action) {
        ReentrantLock lock = threadLocks.computeIfAbsent(key, k -> new ReentrantLock());
        lock.lock();
        Path lockFile = lockFile(key);
        try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock ignored = ProcessFileLock.acquire(ch, "the container lock " + lockFile)) {
            return action.get();
        } catch (IOException e) {
            throw new ContainerException("cannot lock " + lockFile + ": " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }

    /** The file whose fcntl lock guards a container ("" for the whole store); the helper takes it too. */
    Path lockFile(String key) {
        return locks.resolve(key.isEmpty() ? "store.lock" : key + ".lock");
    }

    /** Where a self-removing container's supervisor leaves its exit status (see the helper's AUTOREMOVE). */
    Path exitAfterRemoval(String id) {
        return locks.resolve(id + ".lock.exit");
    }

    void deleteDir(String id) {
        Path d = dir(id);
        try (Stream<Path> walk = Files.walk(d)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (NoSuchFileException e) {
            // already gone
        } catch (IOException e) {
            throw new ContainerException("cannot remove " + d + ": " + e.getMessage() + "; remove it by hand", e);
        }
        try {
            Files.deleteIfExists(locks.resolve(id + ".lock"));
        } catch (IOException e) {
            throw new ContainerException("cannot remove " + locks.resolve(id + ".lock") + ": " + e.getMessage(), e);
        }
        threadLocks.remove(id);
    }

    /** Lock files, and kept exit statuses, of containers that removed themselves (run -d --rm). */
    void removeOrphanLocks() {
        try (Stream<Path> s = Files.list(locks)) {
            for (Path lock : s.toList()) {
                String name = lock.getFileName().toString();
                if (name.endsWith(".lock") && !name.equals("store.lock") && !Files.isDirectory(dir(name.substring(0, name.length() - 5)))) {
                    Files.deleteIfExists(lock);
                }
                if (name.endsWith(".lock.exit") && !Files.isDirectory(dir(name.substring(0, name.length() - 10)))) {
                    Files.deleteIfExists(lock);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
