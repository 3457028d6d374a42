package dev.nvjrun.runtime.helper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The static nvjrun-helper executable. It ships inside the jar and is extracted once per content hash
 * into a cache directory, so concurrent runs and upgrades never see a half-written binary.
 */
public record HelperBinary(Path path) {
    static final String RESOURCE = "/dev/nvjrun/runtime/helper/nvjrun-helper";

    /** Extracts the bundled helper into {@code cacheDir} (if not there yet) and returns it. */
    public static HelperBinary extractTo(Path cacheDir) {
        try (InputStream in = HelperBinary.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the native helper is missing from the runtime-core jar (resource " + RESOURCE
                        + "); rebuild runtime-core with gcc and static glibc installed");
            }
            byte[] bytes = in.readAllBytes();
            Path target = cacheDir.resolve("nvjrun-helper-" + sha256(bytes).substring(0, 16));
            if (Files.isExecutable(target) && Files.size(target) == bytes.length) {
                return new HelperBinary(target);
            }
            Files.createDirectories(cacheDir);
            Path tmp = Files.createTempFile(cacheDir, "nvjrun-helper", ".tmp");
            try {
                Files.write(tmp, bytes);
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(tmp);
            }
            return new HelperBinary(target);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot extract the native helper into " + cacheDir + ": " + e.getMessage()
                    + "; make the directory writable or choose another cache directory", e);
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
