package dev.nvjrun.runtime.network.host;

import java.util.List;

/** What a finished host command left behind. */
public record CommandResult(List<String> command, int exitStatus, String stdout, String stderr) {
    public boolean succeeded() {
        return exitStatus == 0;
    }
}
