package dev.nvjrun.runtime.cgroup;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/** Reading and writing cgroup interface files, and the kill-then-rmdir removal both versions share. */
public record CgroupFiles(Path group) {
    public void write(String file, String value) throws IOException {
        try {
            Files.writeString(group.resolve(file), value, StandardCharsets.US_ASCII, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException e) {
            throw new IOException("write '" + value + "' to " + group.resolve(file) + ": " + e.getMessage(), e);
        }
    }

    public String read(String file) throws IOException {
        return Files.readString(group.resolve(file), StandardCharsets.US_ASCII).trim();
    }

    /** The number after {@code key} in a flat keyed file such as memory.events. */
    public OptionalLong keyed(String file, String key) {
        try {
            for (String line : Files.readAllLines(group.resolve(file))) {
                String[] f = line.split(" ");
                if (f.length == 2 && f[0].equals(key)) {
                    return OptionalLong.of(Long.parseLong(f[1]));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return OptionalLong.empty();
        }
        return OptionalLong.empty();
    }

    public List<Integer> pids() {
        List<Integer> pids = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(group.resolve("cgroup.procs"))) {
                if (!line.isBlank()) {
                    pids.add(Integer.parseInt(line.trim()));
                }
            }
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new CgroupException("cannot read " + group.resolve("cgroup.procs") + ": " + e.getMessage(), e);
        }
        return pids;
    }

    /** SIGKILLs every process in the group, waits for the group to empty, then removes it. */
    public void killAndRemove() {
        if (!Files.isDirectory(group)) {
            return;
        }
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (true) {
            pids().forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
            try {
                Files.deleteIfExists(group);
                return;
            } catch (IOException e) {
                // EBUSY while the killed processes are still exiting.
                if (System.nanoTime() > deadline) {
                    throw new CgroupException("cannot remove cgroup " + group + ": " + e.getMessage()
                            + "; processes " + pids() + " are still in it, kill them and retry", e);
                }
                try {
                    Thread.sleep(5);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new CgroupException("interrupted while removing cgroup " + group, ie);
                }
            }
        }
    }
}
