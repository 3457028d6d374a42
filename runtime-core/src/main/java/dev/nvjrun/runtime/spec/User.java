package dev.nvjrun.runtime.spec;

import java.util.List;

/** Numeric identity of the container's process; names are resolved before a spec is built. */
public record User(int uid, int gid, List<Integer> additionalGids) {
    public static final User ROOT = new User(0, 0, List.of());

    public User {
        if (uid < 0 || gid < 0) {
            throw new IllegalArgumentException("uid " + uid + " and gid " + gid + " must not be negative");
        }
        additionalGids = List.copyOf(additionalGids);
    }
}
