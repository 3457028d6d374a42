package dev.nvjrun.runtime.container;

/**
 * A container's log driver, as Docker's HostConfig.LogConfig: {@code json-file} (the default; the supervisor
 * writes {@code <id>-json.log}, rotated at {@code maxSize} bytes, 0 for never, keeping {@code maxFiles} files)
 * or {@code none} (the output is not kept; a foreground container writes straight to the caller's streams).
 */
public record LogConfig(String driver, long maxSize, int maxFiles) {
    public static final String JSON_FILE_DRIVER = "json-file";
    public static final String NONE_DRIVER = "none";
    public static final LogConfig JSON_FILE = new LogConfig(JSON_FILE_DRIVER, 0, 1);
    public static final LogConfig NONE = new LogConfig(NONE_DRIVER, 0, 1);

    public LogConfig {
        if (!driver.equals(JSON_FILE_DRIVER) && !driver.equals(NONE_DRIVER)) {
            throw new IllegalArgumentException("the log driver '" + driver + "' is not supported; use json-file or none");
        }
        if (maxSize < 0 || maxFiles < 1) {
            throw new IllegalArgumentException("a log needs a max-size of at least 0 and a max-file of at least 1");
        }
    }

    /** Whether there is a log to write and to read. */
    public boolean keepsLog() {
        return driver.equals(JSON_FILE_DRIVER);
    }
}
