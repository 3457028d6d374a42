package dev.nvjrun.runtime.container;

import dev.nvjrun.runtime.spec.ContainerSpec;

import java.util.Map;

/**
 * A container to create: its spec, an optional name (null: derived from the id), labels, how
 * {@code stop} ends it (signal name and seconds before SIGKILL) and whether a detached container
 * removes itself when it exits ({@code run -d --rm}), and its log driver (null: json-file).
 */
public record CreateRequest(String name, ContainerSpec spec, Map<String, String> labels, String stopSignal, int stopTimeoutSeconds,
                            boolean autoRemove, LogConfig log) {
    public CreateRequest {
        if (name != null && !name.matches("[a-zA-Z0-9][a-zA-Z0-9_.-]*")) {
            throw new IllegalArgumentException("container name '" + name + "' is invalid; use letters, digits, '_', '.' and '-', starting with a letter or digit");
        }
        labels = Map.copyOf(labels);
        stopSignal = stopSignal == null ? "TERM" : stopSignal;
        log = log == null ? LogConfig.JSON_FILE : log;
        if (stopTimeoutSeconds < 0) {
            throw new IllegalArgumentException("stop timeout " + stopTimeoutSeconds + " must not be negative");
        }
    }

    public CreateRequest(String name, ContainerSpec spec, Map<String, String> labels, String stopSignal, int stopTimeoutSeconds) {
        this(name, spec, labels, stopSignal, stopTimeoutSeconds, false, LogConfig.JSON_FILE);
    }

    public static CreateRequest of(ContainerSpec spec) {
        return new CreateRequest(null, spec, Map.of(), "TERM", 10, false, LogConfig.JSON_FILE);
    }

    public CreateRequest withName(String n) {
        return new CreateRequest(n, spec, labels, stopSignal, stopTimeoutSeconds, autoRemove, log);
    }

    public CreateRequest withAutoRemove(boolean remove) {
        return new CreateRequest(name, spec, labels, stopSignal, stopTimeoutSeconds, remove, log);
    }

    public CreateRequest withLog(LogConfig config) {
        return new CreateRequest(name, spec, labels, stopSignal, stopTimeoutSeconds, autoRemove, config);
    }
}
