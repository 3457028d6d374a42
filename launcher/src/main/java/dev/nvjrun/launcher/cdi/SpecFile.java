package dev.nvjrun.launcher.cdi;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A CDI spec as a JSON file. Written to a temporary file in the same directory and renamed over
 * the target, because runtimes re-read their spec directories whenever they change (podman on
 * every run): they must never see half a spec.
 */
public final class SpecFile {

    private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public String toJson(CdiSpec spec) throws CdiException {
        try {
            return json.writeValueAsString(spec) + "\n";
        } catch (JacksonException e) {
            throw new CdiException("cannot write the CDI spec as JSON (" + e.getOriginalMessage() + ")", e);
        }
    }

    public void write(CdiSpec spec, Path file) throws CdiException {
        byte[] text = toJson(spec).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Path target = file.toAbsolutePath().normalize();
        Path dir = target.getParent();
        if (dir == null || Files.isDirectory(target)) {
            throw new CdiException("cannot write the CDI spec to " + target + ": it is a directory;"
                    + " name a file such as /etc/cdi/nvidia.json");
        }
        Path temp = null;
        try {
            Files.createDirectories(dir);
            temp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
            Files.write(temp, text);
            // Specs name no secrets and runtimes may read them as other users: as nvidia-ctk, 0644.
            Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-r--r--"));
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            temp = null;
        } catch (IOException e) {
            throw new CdiException("cannot write the CDI spec to " + target + " (" + reason(e) + ")"
                    + "; choose a writable --output or run as root", e);
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // The write already failed; that error is the one to report.
                }
            }
        }
    }

    public CdiSpec read(Path file) throws CdiException {
        try {
            CdiSpec spec = json.readValue(file.toFile(), CdiSpec.class);
            if (spec.kind() == null || spec.cdiVersion() == null) {
                throw new CdiException(file + " is not a CDI spec: it has no cdiVersion or kind");
            }
            return spec;
        } catch (JacksonException e) {
            throw new CdiException(file + " is not a CDI spec in JSON (" + e.getOriginalMessage() + ")", e);
        } catch (IOException e) {
            throw new CdiException("cannot read " + file + " (" + reason(e) + ")", e);
        }
    }

    private static String reason(IOException e) {
        return switch (e) {
            case NoSuchFileException n -> "no such file or directory: " + n.getFile();
            case AccessDeniedException a -> "permission denied: " + a.getFile();
            default -> e.getMessage();
        };
    }
}
