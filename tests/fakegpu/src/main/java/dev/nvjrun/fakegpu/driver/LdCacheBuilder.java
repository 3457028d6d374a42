package dev.nvjrun.fakegpu.driver;

import java.io.IOException;
import java.nio.file.Path;

/** Produces root/etc/ld.so.cache from root/etc/ld.so.conf; tests swap it to inject faults. */
@FunctionalInterface
public interface LdCacheBuilder {
    void build(Path root) throws IOException;
}
