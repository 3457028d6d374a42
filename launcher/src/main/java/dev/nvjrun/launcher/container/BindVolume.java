package dev.nvjrun.launcher.container;

import dev.nvjrun.runtime.spec.Mount;
import dev.nvjrun.runtime.spec.MountFlag;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code -v host:container[:ro|rw]}: a bind mount of a host path. As with Docker, a missing host
 * directory is created; named volumes are not supported yet and are refused.
 */
record BindVolume(Path host, String container, boolean readOnly) {

    static BindVolume parse(String text) {
        String[] parts = text.split(":", -1);
        if (parts.length < 2 || parts.length > 3 || parts[0].isEmpty() || parts[1].isEmpty()) {
            throw new IllegalArgumentException("volume '" + text + "' is invalid; use -v /host/path:/container/path[:ro]");
        }
        if (!parts[0].startsWith("/")) {
            throw new IllegalArgumentException("volume '" + text + "' names a named volume, which nvjrun does not support yet; give an absolute host path");
        }
        if (!parts[1].startsWith("/")) {
            throw new IllegalArgumentException("volume '" + text + "' has a relative container path; give an absolute path such as /data");
        }
        boolean readOnly = false;
        if (parts.length == 3) {
            for (String option : parts[2].split(",")) {
                switch (option) {
                    case "ro" -> readOnly = true;
                    case "rw", "z", "Z", "rprivate", "private" -> { }
                    default -> throw new IllegalArgumentException("volume option '" + option + "' in '" + text + "' is unknown; use ro or rw");
                }
            }
        }
        return new BindVolume(Path.of(parts[0]), parts[1], readOnly);
    }

    /** The edit, creating a missing host directory first as Docker does. */
    SpecEdit edit() {
        if (!Files.exists(host)) {
            try {
                Files.createDirectories(host);
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot create the volume directory " + host + ": " + e.getMessage() + "; create it yourself");
            }
        }
        return FlagEdits.ofMounts(List.of(Mount.bind(host.toString(), container, readOnly)));
    }

    /** {@code --tmpfs /path[:options]}, Docker's default options: noexec, nosuid, nodev, 64 MiB at most unless given. */
    static SpecEdit tmpfs(String text) {
        int colon = text.indexOf(':');
        String target = colon < 0 ? text : text.substring(0, colon);
        String options = colon < 0 ? "" : text.substring(colon + 1);
        if (!target.startsWith("/")) {
            throw new IllegalArgumentException("tmpfs '" + text + "' needs an absolute container path such as /run");
        }
        Set<MountFlag> flags = new HashSet<>(Set.of(MountFlag.NOSUID,
                MountFlag.NODEV, MountFlag.NOEXEC));
        StringBuilder data = new StringBuilder();
        for (String option : options.isEmpty() ? new String[0] : options.split(",")) {
            switch (option) {
                case "exec" -> flags.remove(MountFlag.NOEXEC);
                case "noexec" -> flags.add(MountFlag.NOEXEC);
                case "suid" -> flags.remove(MountFlag.NOSUID);
                case "dev" -> flags.remove(MountFlag.NODEV);
                case "ro" -> flags.add(MountFlag.RDONLY);
                case "rw", "nosuid", "nodev" -> { }
                default -> {
                    if (!option.matches("(size|mode|uid|gid|nr_inodes)=[0-9a-zA-Z%]+")) {
                        throw new IllegalArgumentException("tmpfs option '" + option + "' in '" + text + "' is unknown; use size=, mode=, uid=, gid=, exec, ro");
                    }
                    data.append(data.isEmpty() ? "" : ",").append(option);
                }
            }
        }
        return FlagEdits.ofMounts(List.of(new Mount("tmpfs", target, "tmpfs", flags, data.toString())));
    }
}
