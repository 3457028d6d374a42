package dev.nvjrun.runtime.cgroup;

import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The kernel's wait for a first cgroup migration, taken ahead of time. Every move of a process into a cgroup
 * (a write to a cgroup.procs file) takes cgroup_threadgroup_rwsem for writing, and the first writer after a quiet
 * spell waits for an RCU grace period while the lock leaves its fast mode (about 10 ms on these hosts; runc pays
 * it too). Writers within a grace period after the last one do not wait. Writing this process into the group it
 * already is in moves nothing and pays that wait, so a container's first process joining its groups a few
 * milliseconds later joins at once.
 */
public final class JoinReadiness {
    private JoinReadiness() {
    }

    /**
     * Writes this process into {@code ownGroup}, the group it is in; blocks for up to a grace period. Best effort:
     * a failure (no such file, a read-only or delegated hierarchy) is logged at debug level and changes nothing.
     */
    public static void take(Path ownGroup) {
        try {
            Files.writeString(ownGroup.resolve("cgroup.procs"), "0", StandardOpenOption.WRITE);
        } catch (IOException | RuntimeException e) {
            LoggerFactory.getLogger(JoinReadiness.class).debug("cannot ready the cgroup join ahead in {}: {}", ownGroup, e.getMessage());
        }
    }
}
