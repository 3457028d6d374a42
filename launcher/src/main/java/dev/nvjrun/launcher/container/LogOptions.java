package dev.nvjrun.launcher.container;

import dev.nvjrun.runtime.container.LogConfig;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;

/** Docker's {@code --log-driver} and {@code --log-opt}: json-file (rotated with max-size and max-file) or none. */
final class LogOptions {
    @Option(names = "--log-driver", paramLabel = "DRIVER", description = "json-file (default) or none.")
    String driver = LogConfig.JSON_FILE_DRIVER;

    @Option(names = "--log-opt", paramLabel = "KEY=VALUE", description = "json-file options: max-size=10m, max-file=3.")
    List<String> options = new ArrayList<>();

    LogConfig config() {
        if (!driver.equals(LogConfig.JSON_FILE_DRIVER) && !driver.equals(LogConfig.NONE_DRIVER)) {
            throw new IllegalArgumentException("the log driver '" + driver + "' is not supported; use --log-driver json-file (the default) or none");
        }
        long maxSize = 0;
        int maxFiles = 1;
        boolean fileCountGiven = false;
        for (String option : options) {
            int eq = option.indexOf('=');
            String key = eq < 0 ? option : option.substring(0, eq);
            String value = eq < 0 ? "" : option.substring(eq + 1);
            if (driver.equals(LogConfig.NONE_DRIVER)) {
                throw new IllegalArgumentException("--log-opt " + option + " is not valid for the log driver none, which takes no options");
            }
            switch (key) {
                case "max-size" -> {
                    maxSize = ByteSize.parse("--log-opt max-size", value);
                    if (maxSize <= 0) {
                        throw new IllegalArgumentException("--log-opt max-size must be more than 0 bytes, such as 10m");
                    }
                }
                case "max-file" -> {
                    try {
                        maxFiles = Integer.parseInt(value);
                    } catch (NumberFormatException e) {
                        maxFiles = 0;
                    }
                    if (maxFiles < 1) {
                        throw new IllegalArgumentException("--log-opt max-file value '" + value + "' is not a whole number of at least 1");
                    }
                    fileCountGiven = true;
                }
                default -> throw new IllegalArgumentException("--log-opt '" + option + "' is not an option of the json-file log driver; use max-size=SIZE or max-file=N");
            }
        }
        if (fileCountGiven && maxFiles > 1 && maxSize == 0) {
            throw new IllegalArgumentException("--log-opt max-file needs max-size as well: files are rotated only at a size");
        }
        return driver.equals(LogConfig.NONE_DRIVER) ? LogConfig.NONE : new LogConfig(LogConfig.JSON_FILE_DRIVER, maxSize, maxFiles);
    }
}
