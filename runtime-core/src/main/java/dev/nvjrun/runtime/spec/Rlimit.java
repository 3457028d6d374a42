package dev.nvjrun.runtime.spec;

/** A resource limit; the helper refuses (with the current hard limit in the message) to raise a hard limit. */
public record Rlimit(RlimitType type, long soft, long hard) {
    public Rlimit {
        if (soft > hard || soft < 0 || hard < 0) {
            throw new IllegalArgumentException("ulimit " + type.dockerName() + "=" + soft + ":" + hard
                    + " is invalid: the soft limit must be between 0 and the hard limit");
        }
    }
}
