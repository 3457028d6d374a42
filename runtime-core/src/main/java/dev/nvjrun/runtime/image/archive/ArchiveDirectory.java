package dev.nvjrun.runtime.image.archive;

import dev.nvjrun.runtime.image.ImageException;
import dev.nvjrun.runtime.layer.tar.Compression;
import dev.nvjrun.runtime.store.FileTree;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An image archive as a directory: an OCI layout directory as it is, or a {@code docker save}
 * / OCI archive (optionally gzip- or zstd-compressed) extracted into private scratch space on
 * the store's file system. Extraction keeps only directories and regular files, refuses names
 * that climb out, and turns in-archive symbolic links (which {@code docker save} uses for
 * repeated layers) into hard links, so nothing in the result points outside it.
 */
public final class ArchiveDirectory implements Closeable {

    private static final int MAX_METADATA_BYTES = 16 << 20;
    private static final int MAX_LINK_HOPS = 16;

    private final Path root;
    private final String description;
    private final boolean owned;

    private ArchiveDirectory(Path root, String description, boolean owned) {
        this.root = root;
        this.description = description;
        this.owned = owned;
    }

    public static ArchiveDirectory open(Path input, Path scratch) {
        if (Files.isDirectory(input)) {
            return new ArchiveDirectory(input.toAbsolutePath().normalize(), input.toString(), false);
        }
        if (!Files.isRegularFile(input)) {
            throw new ImageException("image archive " + input + " does not exist; give a docker save archive, an OCI archive"
                    + " or an OCI layout directory");
        }
        Path staging = null;
        try {
            Files.createDirectories(scratch);
            staging = Files.createTempDirectory(scratch, "archive-");
            extract(input, staging);
            ArchiveDirectory directory = new ArchiveDirectory(staging, input.toString(), true);
            staging = null;
            return directory;
        } catch (IOException e) {
            throw new ImageException("cannot read image archive " + input + ": " + e.getMessage()
                    + "; check that it is a complete tar file (docker save, skopeo or an OCI archive)", e);
        } finally {
            if (staging != null) {
                deleteQuietly(staging);
            }
        }
    }

    private static void extract(Path archive, Path staging) throws IOException {
        Map<Path, Path> symlinks = new LinkedHashMap<>();
        try (InputStream raw = Files.newInputStream(archive);
             TarArchiveInputStream tar = new TarArchiveInputStream(Compression.decompress(raw), StandardCharsets.UTF_8.name())) {
            TarArchiveEntry entry;
            int count = 0;
            while ((entry = tar.getNextEntry()) != null) {
                count++;
                Path relative = checked(entry.getName(), archive);
                if (relative == null) {
                    continue;
                }
                Path target = staging.resolve(relative);
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else if (entry.isSymbolicLink()) {
                    Path parent = relative.getParent() == null ? Path.of("") : relative.getParent();
                    Path resolved = checked(parent.resolve(entry.getLinkName()).normalize().toString(), archive);
                    symlinks.put(relative, resolved);
                } else if (entry.isLink()) {
                    symlinks.put(relative, checked(entry.getLinkName(), archive));
                } else if (entry.isFile()) {
                    Files.createDirectories(target.getParent());
                    try (var out = Files.newOutputStream(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                        tar.transferTo(out);
                    }
                }
            }
            if (count == 0) {
                throw new IOException("it holds no entries");
            }
        }
        for (Map.Entry<Path, Path> link : symlinks.entrySet()) {
            Path source = link.getValue();
            for (int hop = 0; symlinks.containsKey(source); hop++) {
                if (hop > MAX_LINK_HOPS) {
                    throw new IOException("link " + link.getKey() + " is part of a loop");
                }
                source = symlinks.get(source);
            }
            Path file = staging.resolve(source);
            if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectories(staging.resolve(link.getKey()).getParent());
                Files.createLink(staging.resolve(link.getKey()), file);
            }
        }
    }

    private static Path checked(String name, Path archive) throws IOException {
        if (name.startsWith("/") || name.indexOf('\0') >= 0) {
            throw new IOException("entry \"" + name + "\" has an absolute or invalid path");
        }
        Path relative = null;
        for (String component : name.split("/")) {
            if (component.isEmpty() || component.equals(".")) {
                continue;
            }
            if (component.equals("..")) {
                throw new IOException("entry \"" + name + "\" climbs out of the archive with \"..\"");
            }
            relative = relative == null ? Path.of(component) : relative.resolve(component);
        }
        return relative;
    }

    public boolean exists(String name) {
        try {
            return Files.isRegularFile(file(name));
        } catch (ImageException e) {
            return false;
        }
    }

    /** A regular file of the archive by its name inside it; refuses names that climb out. */
    public Path file(String name) {
        try {
            Path relative = checked(name, root);
            if (relative == null) {
                throw new IOException("the name is empty");
            }
            return root.resolve(relative);
        } catch (IOException e) {
            throw new ImageException("image archive " + description + " names file \"" + name + "\", which is invalid ("
                    + e.getMessage() + "); the archive is broken or hostile");
        }
    }

    /** Reads a small metadata file (manifest, config, index). */
    public byte[] read(String name) {
        Path file = file(name);
        try {
            if (Files.size(file) > MAX_METADATA_BYTES) {
                throw new ImageException("image archive " + description + " has metadata file " + name
                        + " larger than " + MAX_METADATA_BYTES + " bytes; the archive is broken or hostile");
            }
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ImageException("image archive " + description + " lacks " + name + " (" + e.getMessage()
                    + "); the archive is incomplete, export it again", e);
        }
    }

    /** True when its files were extracted here and may be moved into the store. */
    public boolean isScratch() {
        return owned;
    }

    public String description() {
        return description;
    }

    public Path root() {
        return root;
    }

    @Override
    public void close() {
        if (owned) {
            deleteQuietly(root);
        }
    }

    private static void deleteQuietly(Path path) {
        try {
            new FileTree(path).delete();
        } catch (IOException ignored) {
            // leftovers in tmp/ are removed by the next prune
        }
    }
}
