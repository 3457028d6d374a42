package dev.nvjrun.launcher.container;

import dev.nvjrun.runtime.container.LogConfig;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LogOptionsTest {
    private static LogOptions options(String driver, String... opts) {
        LogOptions o = new LogOptions();
        o.driver = driver;
        o.options = List.of(opts);
        return o;
    }

    @Test
    void jsonFileIsTheDefaultAndRotatesLikeDocker() {
        assertEquals(LogConfig.JSON_FILE, new LogOptions().config());
        assertEquals(new LogConfig("json-file", 10L << 20, 3), options("json-file", "max-size=10m", "max-file=3").config());
        assertEquals(LogConfig.NONE, options("none").config());
    }

    @Test
    void refusesWhatItCannotHonour() {
        for (LogOptions bad : List.of(options("syslog"), options("json-file", "max-size=abc"), options("json-file", "max-file=0"),
                options("json-file", "compress=true"), options("json-file", "max-file=3"), options("none", "max-size=1m"))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, bad::config);
            assertTrue(e.getMessage().contains("log"), e.getMessage());
        }
    }
}
