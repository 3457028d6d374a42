package dev.nvjrun.runtime.cgroup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;

/** The kernel's list format of CPUs and memory nodes ({@code 0-3,8}), as in cpuset.cpus and cpuset.mems. */
public record CpuList(BitSet members) {
    public CpuList {
        members = (BitSet) members.clone();
    }

    /** Parses a list; an empty string is the empty set. Throws IllegalArgumentException naming the bad part. */
    public static CpuList parse(String list) {
        BitSet set = new BitSet();
        if (list.isBlank()) {
            return new CpuList(set);
        }
        for (String part : list.strip().split(",")) {
            if (!part.matches("\\d{1,5}(-\\d{1,5})?")) {
                throw new IllegalArgumentException("'" + list + "' is not a list such as 0-3,8 ('" + part + "' is not a number or range)");
            }
            String[] ends = part.split("-");
            int from = Integer.parseInt(ends[0]);
            int to = ends.length == 2 ? Integer.parseInt(ends[1]) : from;
            if (to < from) {
                throw new IllegalArgumentException("'" + list + "' has the backwards range " + part);
            }
            set.set(from, to + 1);
        }
        return new CpuList(set);
    }

    public boolean within(CpuList other) {
        BitSet outside = (BitSet) members.clone();
        outside.andNot(other.members);
        return outside.isEmpty();
    }

    /**
     * Refuses {@code requested} (the value of {@code flag}) unless every member is in the list the kernel
     * keeps in {@code available} (a parent group's effective CPUs or memory nodes); a missing file checks only the syntax.
     */
    public static void requireWithin(String flag, String requested, Path available) throws IOException {
        if (requested == null) {
            return;
        }
        CpuList want;
        try {
            want = parse(requested);
        } catch (IllegalArgumentException e) {
            throw new IOException(flag + " " + e.getMessage());
        }
        if (!Files.exists(available)) {
            return;
        }
        CpuList have = parse(Files.readString(available));
        if (!want.within(have)) {
            throw new IOException(flag + " " + requested + " names CPUs or memory nodes this host does not offer here (" + have
                    + " in " + available + "); choose from those");
        }
    }

    /** In the kernel's own format, with ranges: {@code 0-3,8}. */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder();
        for (int from = members.nextSetBit(0); from >= 0; from = members.nextSetBit(members.nextClearBit(from))) {
            int to = members.nextClearBit(from) - 1;
            out.append(out.isEmpty() ? "" : ",").append(from).append(from == to ? "" : "-" + to);
        }
        return out.toString();
    }
}
