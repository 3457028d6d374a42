package dev.nvjrun.runtime.image;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nvjrun.runtime.layer.tar.TarFixture;
import dev.nvjrun.runtime.store.Digest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes a small two-layer OCI image layout built from Debian's busybox-static: the lower layer
 * holds busybox, its applet links, {@code etc/motd} and {@code opt/data/old}; the upper layer
 * deletes {@code etc/motd} and makes {@code opt/data} opaque with a new file.
 */
public final class OciLayoutFixture {

    public static final Path BUSYBOX = Path.of("/bin/busybox");
    private static final ObjectMapper JSON = new ObjectMapper();

    private OciLayoutFixture() {
    }

    /** Fails with a clear message when the apt package is missing, as the house rules ask. */
    public static byte[] busybox() {
        if (!Files.isRegularFile(BUSYBOX)) {
            throw new IllegalStateException("test needs /bin/busybox: apt-get install busybox-static");
        }
        try {
            return Files.readAllBytes(BUSYBOX);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static List<byte[]> busyboxLayers() {
        byte[] busybox = busybox();
        return List.of(
                withBusybox(busybox),
                new TarFixture()
                        .file("etc/.wh.motd", "")
                        .dir("opt/data/", 0755)
                        .file("opt/data/.wh..wh..opq", "")
                        .file("opt/data/new", "new\n")
                        .tar());
    }

    private static byte[] withBusybox(byte[] busybox) {
        return new TarFixture()
                .dir("bin/", 0755)
                .binary("bin/busybox", busybox, 0755)
                .symlink("bin/sh", "busybox")
                .symlink("bin/ls", "busybox")
                .symlink("bin/cat", "busybox")
                .dir("etc/", 0755)
                .file("etc/motd", "hello\n")
                .dir("opt/data/", 0755)
                .file("opt/data/old", "old\n")
                .tar();
    }

    /** Writes the layout with gzip layers and the ref name {@code refName} (e.g. {@code latest}). */
    public static Path write(Path dir, List<byte[]> plainLayers, String refName) {
        try {
            start(dir);
            writeIndex(dir, manifest(dir, plainLayers, "amd64"), refName);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes a layout whose ref names an image index of a linux/arm64 and a linux/amd64 image. */
    public static Path writeMultiPlatform(Path dir, List<byte[]> plainLayers, String refName) {
        try {
            start(dir);
            ArrayNode manifests = JSON.createArrayNode();
            for (String arch : List.of("arm64", "amd64")) {
                ObjectNode descriptor = manifest(dir, plainLayers, arch);
                descriptor.putObject("platform").put("architecture", arch).put("os", "linux");
                manifests.add(descriptor);
            }
            ObjectNode nested = JSON.createObjectNode();
            nested.put("schemaVersion", 2).put("mediaType", "application/vnd.oci.image.index.v1+json");
            nested.set("manifests", manifests);
            byte[] nestedBytes = JSON.writeValueAsBytes(nested);
            writeIndex(dir, descriptor("application/vnd.oci.image.index.v1+json", blob(dir, nestedBytes), nestedBytes.length), refName);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void start(Path dir) throws IOException {
        Files.createDirectories(dir.resolve("blobs/sha256"));
        Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
    }

    private static void writeIndex(Path dir, ObjectNode top, String refName) throws IOException {
        ObjectNode index = JSON.createObjectNode();
        index.put("schemaVersion", 2).put("mediaType", "application/vnd.oci.image.index.v1+json");
        top.putObject("annotations").put("org.opencontainers.image.ref.name", refName);
        index.putArray("manifests").add(top);
        Files.write(dir.resolve("index.json"), JSON.writeValueAsBytes(index));
    }

    private static ObjectNode manifest(Path dir, List<byte[]> plainLayers, String arch) throws IOException {
        ArrayNode layers = JSON.createArrayNode();
        ArrayNode diffIds = JSON.createArrayNode();
        for (byte[] plain : plainLayers) {
            byte[] gz = TarFixture.gzip(plain);
            layers.add(descriptor("application/vnd.oci.image.layer.v1.tar+gzip", blob(dir, gz), gz.length));
            diffIds.add(Digest.of(plain).toString());
        }
        ObjectNode config = JSON.createObjectNode();
        config.put("architecture", arch).put("os", "linux").put("created", "2020-01-02T03:04:05Z");
        ObjectNode runConfig = config.putObject("config");
        runConfig.putArray("Cmd").add("/bin/sh");
        runConfig.putArray("Env").add("PATH=/bin");
        runConfig.put("WorkingDir", "/opt");
        runConfig.putObject("Labels").put("com.nvidia.cuda.version", "12.4.1").put("com.nvidia.volumes.needed", "nvidia_driver");
        ObjectNode rootfs = config.putObject("rootfs");
        rootfs.put("type", "layers");
        rootfs.set("diff_ids", diffIds);
        byte[] configBytes = JSON.writeValueAsBytes(config);
        ObjectNode manifest = JSON.createObjectNode();
        manifest.put("schemaVersion", 2).put("mediaType", "application/vnd.oci.image.manifest.v1+json");
        manifest.set("config", descriptor("application/vnd.oci.image.config.v1+json", blob(dir, configBytes), configBytes.length));
        manifest.set("layers", layers);
        byte[] manifestBytes = JSON.writeValueAsBytes(manifest);
        return descriptor("application/vnd.oci.image.manifest.v1+json", blob(dir, manifestBytes), manifestBytes.length);
    }

    private static Digest blob(Path dir, byte[] content) throws IOException {
        Digest digest = Digest.of(content);
        Files.write(dir.resolve("blobs/sha256").resolve(digest.hex()), content);
        return digest;
    }

    private static ObjectNode descriptor(String mediaType, Digest digest, long size) {
        ObjectNode node = JSON.createObjectNode();
        node.put("mediaType", mediaType).put("digest", digest.toString()).put("size", size);
        return node;
    }

    /** Runs a command, failing with its output; a missing tool fails with the apt package to install. */
    public static String run(String aptPackage, String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            int status = process.waitFor();
            if (status != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed with " + status + ":\n" + output);
            }
            return output;
        } catch (IOException e) {
            throw new IllegalStateException("test needs " + command[0] + ": apt-get install " + aptPackage, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
