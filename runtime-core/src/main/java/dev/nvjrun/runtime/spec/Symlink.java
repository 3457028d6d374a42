package dev.nvjrun.runtime.spec;

/** A symbolic link the helper creates in the container (for /dev/fd, /dev/ptmx and friends). */
public record Symlink(String target, String link) {
    public Symlink {
        if (link == null || !link.startsWith("/") || link.contains("..")) {
            throw new IllegalArgumentException("symlink path '" + link + "' must be absolute without '..'");
        }
    }
}
