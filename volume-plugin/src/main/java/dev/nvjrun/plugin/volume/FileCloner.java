package dev.nvjrun.plugin.volume;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Puts a driver file into a volume. */
@FunctionalInterface
public interface FileCloner {

    /** Makes {@code target} (which does not exist) hold the content of {@code source}. */
    void cloneFile(Path source, Path target) throws IOException;

    /**
     * Hard link, like nvidia-docker 1.0, so the volume costs no space and follows the driver's
     * inode; a copy when the volume lives on another file system than the driver (EXDEV) or
     * linking is not allowed there.
     */
    static FileCloner linkOrCopy() {
        return (source, target) -> {
            try {
                Files.createLink(target, source);
            } catch (FileAlreadyExistsException e) {
                throw e;
            } catch (FileSystemException e) {
                Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES);
            }
        };
    }
}
