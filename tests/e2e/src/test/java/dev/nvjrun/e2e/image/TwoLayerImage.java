package dev.nvjrun.e2e.image;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An OCI image layout of two gzip layers made by the real {@code tar} and {@code gzip}: busybox
 * from Debian's busybox-static with {@code etc/motd} and {@code opt/data/old}, then an upper layer
 * that deletes {@code etc/motd} and makes {@code opt/data} opaque with a new file.
 */
final class TwoLayerImage {

    static final Path BUSYBOX = Path.of("/bin/busybox");

    private TwoLayerImage() {
    }

    /** Writes the layout to {@code dir/layout} with the image under the ref name {@code tag}. */
    static Path write(Path dir, String tag) throws IOException {
        if (!Files.isRegularFile(BUSYBOX)) {
            throw new IllegalStateException("test needs /bin/busybox: apt-get install busybox-static");
        }
        Path lower = Files.createDirectories(dir.resolve("lower"));
        Files.createDirectories(lower.resolve("bin"));
        Files.copy(BUSYBOX, lower.resolve("bin/busybox"));
        Files.createSymbolicLink(lower.resolve("bin/sh"), Path.of("busybox"));
        Files.createDirectories(lower.resolve("etc"));
        Files.writeString(lower.resolve("etc/motd"), "hello\n");
        Files.createDirectories(lower.resolve("opt/data"));
        Files.writeString(lower.resolve("opt/data/old"), "old\n");
        Path upper = Files.createDirectories(dir.resolve("upper"));
        Files.createDirectories(upper.resolve("etc"));
        Files.writeString(upper.resolve("etc/.wh.motd"), "");
        Files.createDirectories(upper.resolve("opt/data"));
        Files.writeString(upper.resolve("opt/data/.wh..wh..opq"), "");
        Files.writeString(upper.resolve("opt/data/new"), "new\n");

        Path layout = Files.createDirectories(dir.resolve("layout"));
        Path blobs = Files.createDirectories(layout.resolve("blobs/sha256"));
        List<String> layers = new ArrayList<>();
        List<String> diffIds = new ArrayList<>();
        for (Path tree : List.of(lower, upper)) {
            Path tar = dir.resolve(tree.getFileName() + ".tar");
            run("tar", "tar", "--sort=name", "--owner=0", "--group=0", "--numeric-owner", "-C", tree.toString(),
                    "-cf", tar.toString(), ".");
            diffIds.add("\"sha256:" + sha256(Files.readAllBytes(tar)) + "\"");
            run("gzip", "gzip", "-n", tar.toString());
            byte[] gzip = Files.readAllBytes(Path.of(tar + ".gz"));
            String digest = sha256(gzip);
            Files.write(blobs.resolve(digest), gzip);
            layers.add("{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"sha256:" + digest
                    + "\",\"size\":" + gzip.length + "}");
        }
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"created\":\"2024-01-01T00:00:00Z\","
                + "\"config\":{\"Cmd\":[\"/bin/sh\"],\"Labels\":{\"com.nvidia.cuda.version\":\"12.4.1\"}},"
                + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[" + String.join(",", diffIds) + "]}}")
                .getBytes(StandardCharsets.UTF_8);
        String configDigest = put(blobs, config);
        byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"sha256:" + configDigest
                + "\",\"size\":" + config.length + "},\"layers\":[" + String.join(",", layers) + "]}")
                .getBytes(StandardCharsets.UTF_8);
        String manifestDigest = put(blobs, manifest);
        Files.writeString(layout.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        Files.writeString(layout.resolve("index.json"), "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":"
                + "\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"sha256:" + manifestDigest + "\",\"size\":"
                + manifest.length + ",\"annotations\":{\"org.opencontainers.image.ref.name\":\"" + tag + "\"}}]}");
        return layout;
    }

    private static String put(Path blobs, byte[] content) throws IOException {
        String digest = sha256(content);
        Files.write(blobs.resolve(digest), content);
        return digest;
    }

    private static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs a peer from apt; a missing one names its package. */
    static String run(String aptPackage, String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
            }
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException("test needs " + command[0] + ": apt-get install " + aptPackage, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
