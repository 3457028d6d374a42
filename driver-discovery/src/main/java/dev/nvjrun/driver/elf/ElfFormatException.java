package dev.nvjrun.driver.elf;

import java.nio.file.Path;

/** A file that is not a well-formed ELF object; the message names the file and what is wrong with it. */
public final class ElfFormatException extends Exception {

    private final Path file;

    public ElfFormatException(Path file, String problem) {
        super(file + " is not a usable ELF file: " + problem
                + ". Reinstall the package that owns it, or remove it from the driver root");
        this.file = file;
    }

    public ElfFormatException(Path file, String problem, Throwable cause) {
        this(file, problem);
        initCause(cause);
    }

    public Path file() {
        return file;
    }
}
