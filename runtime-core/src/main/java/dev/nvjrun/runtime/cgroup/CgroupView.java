package dev.nvjrun.runtime.cgroup;

import dev.nvjrun.runtime.spec.Mount;
import dev.nvjrun.runtime.spec.Symlink;

import java.util.List;

/**
 * What a container sees at /sys/fs/cgroup: the mounts, in order, and the links that hosts have for
 * co-mounted v1 controllers ({@code cpu -> cpu,cpuacct}). Mounts with {@code REMOUNT} are applied by the
 * helper after the links exist (see the native README).
 */
public record CgroupView(List<Mount> mounts, List<Symlink> symlinks) {
    public CgroupView {
        mounts = List.copyOf(mounts);
        symlinks = List.copyOf(symlinks);
    }
}
