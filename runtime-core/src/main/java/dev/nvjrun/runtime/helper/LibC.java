package dev.nvjrun.runtime.helper;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;

/** The few libc calls the JVM lacks: spawning with extra fds, raw pipes, waiting and signalling by pid, isatty. */
public interface LibC extends Library {
    LibC INSTANCE = Native.load("c", LibC.class);

    int O_CLOEXEC = 02000000;
    int POSIX_SPAWN_SETSIGDEF = 0x04;
    int POSIX_SPAWN_SETSIGMASK = 0x08;
    int EINTR = 4;
    int ESRCH = 3;

    int pipe2(int[] fds, int flags);

    int close(int fd);

    long read(int fd, byte[] buf, long count);

    long write(int fd, byte[] buf, long count);

    int kill(int pid, int sig);

    int waitpid(int pid, IntByReference status, int options);

    int posix_spawn(IntByReference pid, String path, Pointer fileActions, Pointer attr, String[] argv, String[] envp);

    int posix_spawn_file_actions_init(Pointer actions);

    int posix_spawn_file_actions_adddup2(Pointer actions, int fd, int newFd);

    int posix_spawn_file_actions_destroy(Pointer actions);

    int posix_spawnattr_init(Pointer attr);

    int posix_spawnattr_setflags(Pointer attr, short flags);

    int posix_spawnattr_setsigmask(Pointer attr, Pointer sigset);

    int posix_spawnattr_setsigdefault(Pointer attr, Pointer sigset);

    int posix_spawnattr_destroy(Pointer attr);

    int sigemptyset(Pointer set);

    int sigfillset(Pointer set);

    int sigdelset(Pointer set, int sig);

    String strerror(int errno);

    /** 1 when fd is a terminal (TCGETS succeeds), else 0. */
    int isatty(int fd);
}
