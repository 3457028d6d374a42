package dev.nvjrun.plugin.api;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.zip.DeflaterOutputStream;

/**
 * nvidia-docker 1.0's {@code /mesos/cli}: the GPU info JSON as a Mesos attribute (zlib, then
 * base64url without padding as RFC 6920 asks) and the GPU UUIDs as a custom resource.
 */
public final class MesosArguments {

    private MesosArguments() {
    }

    /** @param uuids the GPUs' UUIDs in index order */
    public static String line(String infoJson, List<String> uuids) {
        String attribute = Base64.getUrlEncoder().withoutPadding().encodeToString(zlib(infoJson.getBytes(StandardCharsets.UTF_8)));
        return "--attributes=gpus:" + attribute + " --resources=gpus:{" + String.join(",", uuids) + "}";
    }

    private static byte[] zlib(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(data.length / 2 + 16);
        try (DeflaterOutputStream deflater = new DeflaterOutputStream(out)) {
            deflater.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array stream cannot fail
        }
        return out.toByteArray();
    }
}
