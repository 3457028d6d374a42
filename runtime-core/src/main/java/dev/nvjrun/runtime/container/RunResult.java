package dev.nvjrun.runtime.container;

/** How a foreground container ended: Docker's exit code (137 after SIGKILL or OOM) and whether the OOM killer struck. */
public record RunResult(String id, int exitCode, boolean oomKilled) {
}
