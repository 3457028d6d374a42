package dev.nvjrun.runtime.image.archive;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nvjrun.runtime.image.ImageException;
import dev.nvjrun.runtime.image.oci.Descriptor;
import dev.nvjrun.runtime.image.oci.ImageConfig;
import dev.nvjrun.runtime.image.oci.Manifest;
import dev.nvjrun.runtime.layer.tar.Compression;
import dev.nvjrun.runtime.store.ContentStore;
import dev.nvjrun.runtime.store.Digest;
import dev.nvjrun.runtime.store.FileTree;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes a {@code docker save} archive: {@code manifest.json}, one {@code <config hex>.json} per
 * image and one uncompressed {@code <diff id hex>/layer.tar} per layer, which is what
 * {@code docker load} and {@code skopeo ... docker-archive:} read. The archive appears under its
 * name only when complete.
 */
public final class DockerArchiveWriter {

    /** One image to save: its manifest, config and the names to record ({@code busybox:latest}). */
    public record SavedImage(Manifest manifest, Digest config, ImageConfig parsedConfig, List<String> repoTags) {
    }

    private final ContentStore content;
    private final ObjectMapper json;
    private final Path scratch;

    public DockerArchiveWriter(ContentStore content, ObjectMapper json, Path scratch) {
        this.content = content;
        this.json = json;
        this.scratch = scratch;
    }

    public void write(List<SavedImage> images, Path output) {
        Path absolute = output.toAbsolutePath();
        Path partial = null;
        Path workDir = null;
        try {
            Files.createDirectories(absolute.getParent());
            Files.createDirectories(scratch);
            partial = Files.createTempFile(absolute.getParent(), "." + absolute.getFileName() + ".", ".partial");
            workDir = Files.createTempDirectory(scratch, "save-");
            List<Map<String, Object>> manifestJson = new ArrayList<>();
            Set<String> written = new HashSet<>();
            try (OutputStream file = Files.newOutputStream(partial);
                 TarArchiveOutputStream tar = new TarArchiveOutputStream(file, StandardCharsets.UTF_8.name())) {
                tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
                tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
                for (SavedImage image : images) {
                    String configName = image.config().hex() + ".json";
                    if (written.add(configName)) {
                        addBytes(tar, configName, content.read(image.config()));
                    }
                    List<String> layerNames = new ArrayList<>();
                    List<Descriptor> layers = image.manifest().layers();
                    for (int i = 0; i < layers.size(); i++) {
                        String name = image.parsedConfig().diffIds().get(i).hex() + "/layer.tar";
                        layerNames.add(name);
                        if (written.add(name)) {
                            addLayer(tar, name, layers.get(i).digestValue(), workDir);
                        }
                    }
                    Map<String, Object> entry = new LinkedHashMap<>();
                    entry.put("Config", configName);
                    entry.put("RepoTags", image.repoTags());
                    entry.put("Layers", layerNames);
                    manifestJson.add(entry);
                }
                addBytes(tar, "manifest.json", json.writeValueAsBytes(manifestJson));
                tar.finish();
            }
            Files.move(partial, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            partial = null;
        } catch (IOException e) {
            throw new ImageException("cannot write image archive " + output + ": " + e.getMessage()
                    + "; check free space and that the directory is writable", e);
        } finally {
            deleteQuietly(partial);
            deleteQuietly(workDir);
        }
    }

    private void addLayer(TarArchiveOutputStream tar, String name, Digest blob, Path workDir) throws IOException {
        // a tar header needs the size up front, so a compressed blob is expanded to a scratch file first
        Path expanded = workDir.resolve("layer.tar");
        try (InputStream in = Compression.decompress(content.open(blob))) {
            Files.copy(in, expanded, StandardCopyOption.REPLACE_EXISTING);
        }
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setSize(Files.size(expanded));
        entry.setMode(0644);
        tar.putArchiveEntry(entry);
        Files.copy(expanded, tar);
        tar.closeArchiveEntry();
        Files.delete(expanded);
    }

    private static void addBytes(TarArchiveOutputStream tar, String name, byte[] bytes) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setSize(bytes.length);
        entry.setMode(0644);
        tar.putArchiveEntry(entry);
        tar.write(bytes);
        tar.closeArchiveEntry();
    }

    private static void deleteQuietly(Path path) {
        if (path == null) {
            return;
        }
        try {
            new FileTree(path).delete();
        } catch (IOException ignored) {
            // a leftover partial file carries a dot name and the .partial suffix
        }
    }
}
