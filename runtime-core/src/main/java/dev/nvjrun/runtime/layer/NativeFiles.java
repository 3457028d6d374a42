package dev.nvjrun.runtime.layer;

import com.sun.jna.LastErrorException;
import dev.nvjrun.runtime.libc.LibcBinding;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The file system calls that java.nio lacks or that follow symbolic links where a layer must
 * not: lchown, chmod with set-uid bits, mknod, l*xattr and utimensat without following.
 * Every call takes a path the caller has already checked to lie inside the layer.
 */
public final class NativeFiles {

    public static final int S_IFCHR = 0020000;
    public static final int S_IFBLK = 0060000;
    public static final int S_IFIFO = 0010000;
    private static final int AT_FDCWD = -100;
    private static final int AT_SYMLINK_NOFOLLOW = 0x100;
    private static final int ENODATA = 61;
    private static final int ERANGE = 34;

    /**
     * Direct-mapped (registered native methods): unpacking a layer makes these calls per file, and an
     * interface mapping would cost a proxy class at start-up and a reflective dispatch per call.
     * Registered on first use, so commands that unpack nothing never load it.
     */
    private static final class LibC {
        static {
            LibcBinding.register(LibC.class);
        }

        static native int lchown(String path, int uid, int gid) throws LastErrorException;

        static native int chmod(String path, int mode) throws LastErrorException;

        static native int mknod(String path, int mode, long dev) throws LastErrorException;

        static native int lsetxattr(String path, String name, byte[] value, long size, int flags) throws LastErrorException;

        static native long lgetxattr(String path, String name, byte[] value, long size) throws LastErrorException;

        static native long llistxattr(String path, byte[] list, long size) throws LastErrorException;

        static native int utimensat(int dirfd, String path, long[] times, int flags) throws LastErrorException;

        static native String strerror(int errnum);
    }

    public void lchown(Path path, long uid, long gid) throws IOException {
        try {
            LibC.lchown(path.toString(), (int) uid, (int) gid);
        } catch (LastErrorException e) {
            throw failure("change the owner of", path, e);
        }
    }

    /** chmod follows symbolic links: call it only on paths known not to be one. */
    public void chmod(Path path, int mode) throws IOException {
        try {
            LibC.chmod(path.toString(), mode & 07777);
        } catch (LastErrorException e) {
            throw failure("change the mode of", path, e);
        }
    }

    public void mknod(Path path, int typeAndMode, int major, int minor) throws IOException {
        try {
            LibC.mknod(path.toString(), typeAndMode, makedev(major, minor));
        } catch (LastErrorException e) {
            throw failure("create the device node", path, e);
        }
    }

    public void lsetxattr(Path path, String name, byte[] value) throws IOException {
        try {
            LibC.lsetxattr(path.toString(), name, value, value.length, 0);
        } catch (LastErrorException e) {
            throw failure("set extended attribute " + name + " on", path, e);
        }
    }

    public Optional<byte[]> lgetxattr(Path path, String name) throws IOException {
        byte[] buffer = new byte[256];
        while (true) {
            try {
                int length = (int) LibC.lgetxattr(path.toString(), name, buffer, buffer.length);
                return Optional.of(java.util.Arrays.copyOf(buffer, length));
            } catch (LastErrorException e) {
                if (e.getErrorCode() == ENODATA) {
                    return Optional.empty();
                }
                if (e.getErrorCode() == ERANGE && buffer.length < 1 << 20) {
                    buffer = new byte[buffer.length * 4];
                    continue;
                }
                throw failure("read extended attribute " + name + " of", path, e);
            }
        }
    }

    public List<String> llistxattr(Path path) throws IOException {
        byte[] buffer = new byte[1024];
        int length;
        while (true) {
            try {
                length = (int) LibC.llistxattr(path.toString(), buffer, buffer.length);
                break;
            } catch (LastErrorException e) {
                if (e.getErrorCode() == ERANGE && buffer.length < 1 << 20) {
                    buffer = new byte[buffer.length * 4];
                    continue;
                }
                throw failure("list extended attributes of", path, e);
            }
        }
        List<String> names = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < length; i++) {
            if (buffer[i] == 0) {
                if (i > start) {
                    names.add(new String(buffer, start, i - start, StandardCharsets.UTF_8));
                }
                start = i + 1;
            }
        }
        return names;
    }

    /** Sets access and modification time without following a symbolic link. */
    public void lutimes(Path path, long seconds, long nanos) throws IOException {
        try {
            LibC.utimensat(AT_FDCWD, path.toString(), new long[] {seconds, nanos, seconds, nanos}, AT_SYMLINK_NOFOLLOW);
        } catch (LastErrorException e) {
            throw failure("set the times of", path, e);
        }
    }

    static long makedev(int major, int minor) {
        long maj = major & 0xffffffffL;
        long min = minor & 0xffffffffL;
        return ((maj & 0xfffff000L) << 32) | ((maj & 0xfffL) << 8) | ((min & 0xffffff00L) << 12) | (min & 0xffL);
    }

    private IOException failure(String action, Path path, LastErrorException e) {
        return new IOException("cannot " + action + " " + path + ": " + LibC.strerror(e.getErrorCode()));
    }
}
