package dev.nvjrun.runtime.process;

import dev.nvjrun.runtime.spec.User;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Resolves Docker's {@code -u user[:group]} against the container's own /etc/passwd and /etc/group,
 * numbers passing through unchanged, and adds the user's supplementary groups.
 */
public final class UserResolver {
    private UserResolver() {
    }

    public static User resolve(Path rootfs, String spec) {
        if (spec == null || spec.isEmpty()) {
            return User.ROOT;
        }
        String[] parts = spec.split(":", 2);
        List<String[]> passwd = table(rootfs.resolve("etc/passwd"));
        List<String[]> groups = table(rootfs.resolve("etc/group"));
        Optional<String[]> entry = passwd.stream().filter(e -> e.length > 3 && (e[0].equals(parts[0]) || e[2].equals(parts[0]))).findFirst();
        int uid;
        int gid;
        String userName;
        if (parts[0].matches("\\d+")) {
            uid = Integer.parseInt(parts[0]);
            gid = entry.map(e -> Integer.parseInt(e[3])).orElse(0);
            userName = entry.map(e -> e[0]).orElse(null);
        } else {
            String[] e = entry.orElseThrow(() -> new IllegalArgumentException("user '" + parts[0] + "' is not in the container's /etc/passwd; use a numeric uid or add the user to the image"));
            uid = Integer.parseInt(e[2]);
            gid = Integer.parseInt(e[3]);
            userName = e[0];
        }
        if (parts.length == 2) {
            if (parts[1].matches("\\d+")) {
                gid = Integer.parseInt(parts[1]);
            } else {
                gid = groups.stream().filter(g -> g.length > 2 && g[0].equals(parts[1])).map(g -> Integer.parseInt(g[2])).findFirst()
                        .orElseThrow(() -> new IllegalArgumentException("group '" + parts[1] + "' is not in the container's /etc/group; use a numeric gid or add the group to the image"));
            }
        }
        List<Integer> extra = new ArrayList<>();
        if (userName != null) {
            for (String[] g : groups) {
                if (g.length > 3 && List.of(g[3].split(",")).contains(userName)) {
                    extra.add(Integer.parseInt(g[2]));
                }
            }
        }
        return new User(uid, gid, extra);
    }

    private static List<String[]> table(Path file) {
        try {
            return Files.exists(file) ? Files.readAllLines(file).stream().map(l -> l.split(":", -1)).toList() : List.of();
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage() + "; check the image's /etc files", e);
        }
    }
}
