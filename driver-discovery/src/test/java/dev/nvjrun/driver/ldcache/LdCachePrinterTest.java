package dev.nvjrun.driver.ldcache;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Fields that this machine's ldconfig never writes (OS ABI, numeric hwcaps, foreign ABIs), printed
 * with the formats of glibc's print_entry ("%#.16lx", ", OS ABI: %s %d.%d.%d", ",%d").
 */
class LdCachePrinterTest {

    private static String print(LdCacheEntry e) {
        LdCache cache = new LdCache(Path.of("/c"), LdCacheFormat.NEW, List.of(e), Optional.empty());
        String out = new String(new LdCachePrinter().print(cache, "/c"), StandardCharsets.UTF_8);
        return out.substring(out.indexOf('\n') + 1);
    }

    @Test
    void printsNumericHwcapWithSixteenHexDigits() {
        assertEquals("\tlibx.so.1 (libc6,x86-64, hwcap: 0x0000000000000001) => /l/libx.so.1\n",
                print(new LdCacheEntry("libx.so.1", "/l/libx.so.1", 0x0303, 0, 1, Optional.empty())));
    }

    @Test
    void printsTheOsAbiOfTheEntry() {
        assertEquals("\tlibx.so.1 (libc6, OS ABI: Linux 2.6.32) => /l/libx.so.1\n",
                print(new LdCacheEntry("libx.so.1", "/l/libx.so.1", 0x0003, 0x00020620, 0, Optional.empty())));
        assertEquals("\tlibx.so.1 (libc6, OS ABI: Unknown OS 1.2.3) => /l/libx.so.1\n",
                print(new LdCacheEntry("libx.so.1", "/l/libx.so.1", 0x0003, 0x09010203, 0, Optional.empty())));
    }

    @Test
    void printsForeignAndUnknownAbis() {
        assertEquals("\tlibx.so.1 (libc6,AArch64) => /l\n",
                print(new LdCacheEntry("libx.so.1", "/l", 0x0a03, 0, 0, Optional.empty())));
        assertEquals("\tlibx.so.1 (unknown,30720) => /l\n",
                print(new LdCacheEntry("libx.so.1", "/l", 0x7809, 0, 0, Optional.empty())));
    }
}
