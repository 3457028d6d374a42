package dev.nvjrun.driver;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where the host's driver files, device nodes and /proc live. Production uses "/", "/" and "/proc";
 * tests point all three into a simulated host. Paths recorded inside ld.so.cache are relative to
 * {@link #driverRoot()}.
 */
public record HostRoots(Path driverRoot, Path devRoot, Path procRoot) {

    public HostRoots {
        Objects.requireNonNull(driverRoot, "driverRoot");
        Objects.requireNonNull(devRoot, "devRoot");
        Objects.requireNonNull(procRoot, "procRoot");
        driverRoot = driverRoot.toAbsolutePath().normalize();
        devRoot = devRoot.toAbsolutePath().normalize();
        procRoot = procRoot.toAbsolutePath().normalize();
    }

    /** The real host: everything at "/". */
    public static HostRoots system() {
        return new HostRoots(Path.of("/"), Path.of("/"), Path.of("/proc"));
    }

    /** A simulated host whose "/" is {@code root} and whose /proc is {@code root/proc}. */
    public static HostRoots under(Path root) {
        return new HostRoots(root, root, root.resolve("proc"));
    }

    /** Resolves an absolute host path such as "/usr/lib/libcuda.so.1" under the driver root. */
    public Path inDriverRoot(String absolutePath) {
        return under(driverRoot, absolutePath);
    }

    /** Resolves an absolute host path such as "/dev/nvidia0" under the device root. */
    public Path inDevRoot(String absolutePath) {
        return under(devRoot, absolutePath);
    }

    private static Path under(Path root, String absolutePath) {
        String relative = absolutePath.replaceFirst("^/+", "");
        return relative.isEmpty() ? root : root.resolve(relative).normalize();
    }
}
