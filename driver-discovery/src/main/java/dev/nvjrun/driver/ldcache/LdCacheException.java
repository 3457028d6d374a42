package dev.nvjrun.driver.ldcache;

import java.nio.file.Path;

/** An ld.so.cache file that cannot be read; the message names the file, the problem and the fix. */
public final class LdCacheException extends Exception {

    private final Path file;

    public LdCacheException(Path file, String problem) {
        super("cannot read " + file + ": " + problem
                + ". Regenerate it with ldconfig (or ldconfig -r <driver root>)");
        this.file = file;
    }

    public LdCacheException(Path file, String problem, Throwable cause) {
        this(file, problem);
        initCause(cause);
    }

    public Path file() {
        return file;
    }
}
