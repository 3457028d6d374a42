package dev.nvjrun.runtime.network.host;

import com.sun.jna.LastErrorException;
import dev.nvjrun.runtime.libc.LibcBinding;
import dev.nvjrun.runtime.network.NamespaceThread;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Network namespaces that live on as bind-mounted files, made and removed with the system calls
 * {@code ip netns add} and {@code ip netns delete} make (iproute2 6.1, checked with strace),
 * without starting ip: a process costs every container start and removal milliseconds.
 *
 * <p>The new namespace is entered by a thread started for it, which ends right after binding it:
 * unshare(2) of a network namespace changes only the calling thread, and no other JVM thread
 * ever runs in it.
 */
public final class NamespaceMounts {
    private static final int CLONE_NEWNET = 0x40000000;
    private static final long MS_BIND = 4096;
    private static final long MS_REC = 16384;
    private static final long MS_SHARED = 1 << 20;
    private static final int MNT_DETACH = 2;
    private static final int EINVAL = 22;

    /** Direct-mapped, like the snapshot mounts: no proxy class, no reflection per call. */
    private static final class LibC {
        static {
            LibcBinding.register(LibC.class);
        }

        static native int unshare(int flags) throws LastErrorException;

        static native int mount(String source, String target, String type, long flags, String data)
                throws LastErrorException;

        static native int umount2(String target, int flags) throws LastErrorException;

        static native String strerror(int errnum);
    }

    /**
     * {@code ip netns add}: makes the file's directory a shared mount point (so that namespaces
     * bound in it are seen by mount namespaces made later, such as containers'), creates the
     * empty file and binds a new network namespace onto it. On failure nothing is left but the
     * directory.
     */
    public void create(Path file) throws IOException {
        Path directory = file.toAbsolutePath().getParent();
        Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwxr-xr-x")));
        makeSharedMountPoint(directory);
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(Set.of()));
        } catch (FileAlreadyExistsException e) {
            throw new IOException(file + " already exists", e);
        }
        try {
            bindNewNamespace(file);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(file);
            throw e;
        }
    }

    /**
     * {@code ip netns delete}: detaches the bind mount, whatever it is, and removes the file; the
     * namespace ends with the last process in it. Like ip, only the removal's failure counts.
     */
    public void delete(Path file) throws IOException {
        try {
            LibC.umount2(file.toString(), MNT_DETACH);
        } catch (LastErrorException e) {
            // EINVAL: not a mount point, a file a failed create left; unlink below still removes it.
        }
        Files.delete(file);
    }

    private static void makeSharedMountPoint(Path directory) throws IOException {
        String dir = directory.toString();
        try {
            LibC.mount("", dir, "none", MS_SHARED | MS_REC, null);
        } catch (LastErrorException e) {
            if (e.getErrorCode() != EINVAL) {
                throw failure("cannot make " + dir + " a shared mount", e);
            }
            // Not a mount point yet: bind it onto itself first, as ip does on a fresh boot.
            try {
                LibC.mount(dir, dir, "none", MS_BIND | MS_REC, null);
                LibC.mount("", dir, "none", MS_SHARED | MS_REC, null);
            } catch (LastErrorException again) {
                throw failure("cannot make " + dir + " a shared mount point", again);
            }
        }
    }

    private static void bindNewNamespace(Path file) throws IOException {
        try {
            NamespaceThread.run("nvjrun-netns-create", () -> {
                try {
                    LibC.unshare(CLONE_NEWNET);
                } catch (LastErrorException e) {
                    throw new UncheckedIOException(failure("cannot create a network namespace", e));
                }
                try {
                    // thread-self, not self: /proc/self names the main thread, still in the host's namespace.
                    LibC.mount("/proc/thread-self/ns/net", file.toString(), "none", MS_BIND, null);
                } catch (LastErrorException e) {
                    throw new UncheckedIOException(failure("cannot bind the new network namespace on " + file, e));
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private static IOException failure(String what, LastErrorException e) {
        return new IOException(what + ": " + LibC.strerror(e.getErrorCode()), e);
    }
}
