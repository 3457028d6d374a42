package dev.nvjrun.runtime.helper;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import dev.nvjrun.runtime.libc.LibcBinding;

/**
 * The few libc calls the JVM lacks: spawning with extra fds, raw pipes, waiting and signalling by pid, isatty.
 * Direct-mapped (native methods registered with JNA) rather than an interface: an interface mapping
 * costs a dynamic proxy class at start-up and a reflective dispatch per call.
 */
public final class LibC {
    public static final LibC INSTANCE = new LibC();

    public static final int O_CLOEXEC = 02000000;
    public static final int POSIX_SPAWN_SETSIGDEF = 0x04;
    public static final int POSIX_SPAWN_SETSIGMASK = 0x08;
    public static final int EINTR = 4;
    public static final int ESRCH = 3;

    static {
        LibcBinding.register(LibC.class);
    }

    private LibC() {
    }

    public native int pipe2(int[] fds, int flags);

    public native int close(int fd);

    public native long read(int fd, byte[] buf, long count);

    public native long write(int fd, byte[] buf, long count);

    public native int kill(int pid, int sig);

    public native int waitpid(int pid, IntByReference status, int options);

    /** {@code argv} and {@code envp} are NULL-terminated string arrays ({@link com.sun.jna.StringArray}). */
    public native int posix_spawn(IntByReference pid, String path, Pointer fileActions, Pointer attr, Pointer argv, Pointer envp);

    public native int posix_spawn_file_actions_init(Pointer actions);

    public native int posix_spawn_file_actions_adddup2(Pointer actions, int fd, int newFd);

    public native int posix_spawn_file_actions_destroy(Pointer actions);

    public native int posix_spawnattr_init(Pointer attr);

    public native int posix_spawnattr_setflags(Pointer attr, short flags);

    public native int posix_spawnattr_setsigmask(Pointer attr, Pointer sigset);

    public native int posix_spawnattr_setsigdefault(Pointer attr, Pointer sigset);

    public native int posix_spawnattr_destroy(Pointer attr);

    public native int sigemptyset(Pointer set);

    public native int sigfillset(Pointer set);

    public native int sigdelset(Pointer set, int sig);

    public native String strerror(int errno);

    /** 1 when fd is a terminal (TCGETS succeeds), else 0. */
    public native int isatty(int fd);
}
