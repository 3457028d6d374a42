package dev.nvjrun.runtime.snapshot;

import com.sun.jna.LastErrorException;
import dev.nvjrun.runtime.libc.LibcBinding;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * mount(2), umount2(2) and the new mount API (fsopen, fsconfig, fsmount, move_mount), which
 * lets overlay take its lower directories one by one past the one-page option limit (Linux 6.8+).
 */
public final class Mounts {

    public static final long MS_BIND = 4096;
    public static final long MS_REC = 16384;
    private static final int MNT_DETACH = 2;
    private static final int EINVAL = 22;
    private static final int SYS_MOVE_MOUNT = 429;
    private static final int SYS_FSOPEN = 430;
    private static final int SYS_FSCONFIG = 431;
    private static final int SYS_FSMOUNT = 432;
    private static final int FSCONFIG_SET_FLAG = 0;
    private static final int FSCONFIG_SET_STRING = 1;
    private static final int FSCONFIG_CMD_CREATE = 6;
    private static final int MOVE_MOUNT_F_EMPTY_PATH = 4;
    private static final int CLOEXEC = 1;

    /**
     * Direct-mapped (registered native methods): no proxy class at start-up, no reflection per call.
     * syscall(2) is variadic, which direct mapping cannot express: one fixed signature per system
     * call used, which the x86-64 and aarch64 calling conventions pass the same way.
     */
    private static final class LibC {
        static {
            LibcBinding.register(LibC.class);
        }

        static native int mount(String source, String target, String type, long flags, String data) throws LastErrorException;

        static native int umount2(String target, int flags) throws LastErrorException;

        /** fsopen(fs_name, flags). */
        static native long syscall(long number, String name, long flags) throws LastErrorException;

        /** fsconfig(fd, cmd, key, value, aux). */
        static native long syscall(long number, long fd, long cmd, String key, String value, long aux) throws LastErrorException;

        /** fsmount(fd, flags, attr_flags). */
        static native long syscall(long number, long fd, long flags, long attrFlags) throws LastErrorException;

        /** move_mount(from_dfd, from_path, to_dfd, to_path, flags). */
        static native long syscall(long number, long fromFd, String fromPath, long toFd, String toPath, long flags)
                throws LastErrorException;

        static native int close(int fd);

        static native String strerror(int errnum);
    }

    public void mount(String source, Path target, String type, long flags, String data) throws IOException {
        try {
            LibC.mount(source, target.toString(), type, flags, data);
        } catch (LastErrorException e) {
            throw new IOException("mount of " + type + " on " + target + " failed: " + LibC.strerror(e.getErrorCode()));
        }
    }

    /** Unmounts a snapshot's root file system, failing with what the user can do about it. */
    public void unmountRootfs(Path target) {
        try {
            unmount(target);
        } catch (IOException e) {
            throw new SnapshotException("cannot unmount " + target + ": " + e.getMessage()
                    + "; stop the processes that use it and retry", e);
        }
    }

    /** Detaches the mount on {@code target}; returns false when nothing was mounted there. */
    public boolean unmount(Path target) throws IOException {
        try {
            LibC.umount2(target.toString(), MNT_DETACH);
            return true;
        } catch (LastErrorException e) {
            if (e.getErrorCode() == EINVAL) {
                return false;
            }
            throw new IOException("unmount of " + target + " failed: " + LibC.strerror(e.getErrorCode()));
        }
    }

    /** Mounts overlay with each lower directory passed on its own ({@code lowerdir+}), top first. */
    public void mountOverlayByParts(List<Path> lowerTopFirst, Path upper, Path work, Path target, boolean volatileUpper)
            throws IOException {
        int fs = -1;
        int mnt = -1;
        String step = "fsopen";
        try {
            fs = (int) LibC.syscall(SYS_FSOPEN, "overlay", (long) CLOEXEC);
            step = "fsconfig lowerdir+";
            for (Path lower : lowerTopFirst) {
                LibC.syscall(SYS_FSCONFIG, (long) fs, (long) FSCONFIG_SET_STRING, "lowerdir+", lower.toString(), 0L);
            }
            step = "fsconfig upperdir";
            LibC.syscall(SYS_FSCONFIG, (long) fs, (long) FSCONFIG_SET_STRING, "upperdir", upper.toString(), 0L);
            LibC.syscall(SYS_FSCONFIG, (long) fs, (long) FSCONFIG_SET_STRING, "workdir", work.toString(), 0L);
            if (volatileUpper) {
                step = "fsconfig volatile";
                LibC.syscall(SYS_FSCONFIG, (long) fs, (long) FSCONFIG_SET_FLAG, "volatile", null, 0L);
            }
            step = "fsconfig create";
            LibC.syscall(SYS_FSCONFIG, (long) fs, (long) FSCONFIG_CMD_CREATE, null, null, 0L);
            step = "fsmount";
            mnt = (int) LibC.syscall(SYS_FSMOUNT, (long) fs, (long) CLOEXEC, 0L);
            step = "move_mount";
            LibC.syscall(SYS_MOVE_MOUNT, (long) mnt, "", -100L, target.toString(), (long) MOVE_MOUNT_F_EMPTY_PATH);
        } catch (LastErrorException e) {
            throw new IOException("overlay mount of " + lowerTopFirst.size() + " layers on " + target + " failed at " + step
                    + ": " + LibC.strerror(e.getErrorCode()));
        } finally {
            if (mnt >= 0) {
                LibC.close(mnt);
            }
            if (fs >= 0) {
                LibC.close(fs);
            }
        }
    }

    /** Binds the libc functions now (JNA's first registration takes milliseconds), e.g. on a spare thread. */
    public static void bindLibrary() {
        LibC.strerror(0);
    }

    public static void requireDirectory(Path target) {
        if (!Files.isDirectory(target)) {
            throw new SnapshotException("mount point " + target + " is not a directory; create it before mounting");
        }
    }
}
