package dev.nvjrun.runtime.container;

import dev.nvjrun.runtime.spec.ContainerSpec;

import java.util.Map;

/**
 * The recorded state of one container, as {@code inspect} and {@code ps} show it. Pids are host pids
 * (0 when not running); times are ISO-8601 instants or null; {@code log} is its log driver.
 */
public record ContainerState(String id, String name, ContainerStatus status, int supervisorPid, int pid, Integer exitCode,
                             boolean oomKilled, String error, String created, String started, String finished,
                             Map<String, String> labels, String stopSignal, int stopTimeoutSeconds, boolean autoRemove,
                             ContainerSpec spec, LogConfig log) {
    public ContainerState {
        labels = Map.copyOf(labels);
        log = log == null ? LogConfig.JSON_FILE : log;
    }

    ContainerState running(int supervisor, int containerPid, String at) {
        return new ContainerState(id, name, ContainerStatus.RUNNING, supervisor, containerPid, null, false, null, created, at, null,
                labels, stopSignal, stopTimeoutSeconds, autoRemove, spec, log);
    }

    ContainerState exited(int code, boolean oom, String why, String at) {
        return new ContainerState(id, name, ContainerStatus.EXITED, 0, 0, code, oom, why, created, started, at,
                labels, stopSignal, stopTimeoutSeconds, autoRemove, spec, log);
    }

    public String shortId() {
        return id.substring(0, 12);
    }
}
