package dev.nvjrun.runtime.spec;

import java.nio.file.Path;
import java.util.List;

/**
 * How the helper runs one container: stdio (null keeps what the helper inherited; outputs are appended),
 * whether it detaches into its own session, and where it records "supervisor-pid container-pid" and
 * the exit status (null: nowhere). A terminal (null: none) replaces the process's stdio by a pty.
 *  A non-zero {@code joinPid} makes it an exec: the process joins the
 * namespaces and cgroups of that running container process instead of getting new ones. With
 * {@code removeAfterExit} the supervisor deletes the container's cgroups and that state directory itself,
 * holding the fcntl lock on {@code removeLock} meanwhile. A {@code log} (null: none) makes the supervisor
 * write the container's output as Docker's json-file log; a non-empty {@code exitCommand} is run by the
 * supervisor after the exit is recorded (nvjrun's clean-up), and when it succeeds replaces {@code removeAfterExit}.
 */
public record Supervision(boolean detach, Path stdin, Path stdout, Path stderr, Terminal terminal, Path pidsFile, Path exitStatusFile,
                          int joinPid, Path removeAfterExit, Path removeLock, JsonLog log, List<String> exitCommand) {
    public static final Supervision FOREGROUND = new Supervision(false, null, null, null, null, null, null, 0, null, null, null, List.of());

    public Supervision {
        exitCommand = List.copyOf(exitCommand);
    }
}
