package dev.nvjrun.runtime.helper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The static nvjrun-helper executable. It ships inside the jar and is extracted once per content hash
 * into a cache directory, so concurrent runs and upgrades never see a half-written binary. The build
 * records the hash and size beside it ({@code nvjrun-helper.id}), so a start that finds the helper
 * already extracted reads 80 bytes instead of inflating and hashing the whole binary (tens of
 * milliseconds of a container start, hashing without the JIT's SHA intrinsics).
 */
public record HelperBinary(Path path) {
    static final String RESOURCE = "/dev/nvjrun/runtime/helper/nvjrun-helper";
    static final String ID_RESOURCE = RESOURCE + ".id";

    /** Extracts the bundled helper into {@code cacheDir} (if not there yet) and returns it. */
    public static HelperBinary extractTo(Path cacheDir) {
        Identity id = Identity.bundled();
        Path target = cacheDir.resolve("nvjrun-helper-" + id.sha256().substring(0, 16));
        try {
            if (Files.isExecutable(target) && Files.size(target) == id.size()) {
                return new HelperBinary(target);
            }
            byte[] bytes = bundledBytes();
            String actual = sha256(bytes);
            if (!actual.equals(id.sha256()) || bytes.length != id.size()) {
                throw new IllegalStateException("the native helper in the runtime-core jar does not match its recorded hash ("
                        + actual + ", " + bytes.length + " bytes; recorded " + id.sha256() + ", " + id.size()
                        + " bytes); the jar is damaged, reinstall nvjrun");
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

    /** What the build recorded of the helper it put in the jar. */
    record Identity(String sha256, long size) {
        static Identity bundled() {
            String line = new String(resource(ID_RESOURCE), StandardCharsets.US_ASCII).trim();
            String[] parts = line.split(" ");
            if (parts.length != 2 || !parts[0].matches("[0-9a-f]{64}") || !parts[1].matches("[0-9]+")) {
                throw new IllegalStateException("the native helper's identity " + ID_RESOURCE + " in the runtime-core jar is malformed ('"
                        + line + "'); rebuild runtime-core");
            }
            return new Identity(parts[0], Long.parseLong(parts[1]));
        }
    }

    private static byte[] bundledBytes() {
        return resource(RESOURCE);
    }

    private static byte[] resource(String name) {
        try (InputStream in = HelperBinary.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("the native helper is missing from the runtime-core jar (resource " + name
                        + "); rebuild runtime-core with gcc and static glibc installed");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + name + " from the runtime-core jar: " + e.getMessage(), e);
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
