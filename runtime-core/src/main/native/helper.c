/*
 * nvjrun-helper: becomes a container's first process. Java computes everything and sends the spec on
 * fd 3; the helper reports "OK <pid>" or "ERR <code> <message>" on fd 4, then supervises the container
 * and exits with its status (128+signal when killed). See README.md for the protocol.
 */
#define _GNU_SOURCE
#include "log.h"
#include "spec.h"
#include "tty.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/openat2.h>
#include <linux/seccomp.h>
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <ftw.h>
#include <unistd.h>

#define SPEC_FD 3
#define STATUS_FD 4
#define EXIT_NVJRUN 125
#define EXIT_NOT_EXECUTABLE 126
#define EXIT_NOT_FOUND 127

static volatile pid_t forward_to;

/* Writes "code message" on fd and exits: the one way every failure inside the container leaves. */
static void fail(int fd, int code, const char *fmt, ...)
{
    char msg[1024];
    int n = snprintf(msg, sizeof msg, "%d ", code);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg + n, sizeof msg - (size_t)n, fmt, ap);
    va_end(ap);
    if (write(fd, msg, strlen(msg)) < 0) { /* the parent is gone; nothing left to tell */ }
    _exit(code);
}

static void write_all(int fd, const char *buf, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, buf, len);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return;
        buf += n;
        len -= (size_t)n;
    }
}

static void report_status(const char *fmt, ...)
{
    char msg[1200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    write_all(STATUS_FD, msg, strlen(msg));
}

static char *read_spec(size_t *len)
{
    size_t cap = 65536, used = 0;
    char *buf = malloc(cap);
    for (;;) {
        if (!buf) return NULL;
        if (used + 1 >= cap) buf = realloc(buf, cap *= 2);
        if (!buf) return NULL;
        ssize_t n = read(SPEC_FD, buf + used, cap - used - 1);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) { free(buf); return NULL; }
        if (n == 0) break;
        used += (size_t)n;
    }
    buf[used] = '\0';
    *len = used;
    return buf;
}

/*
 * Every path inside the root file system is resolved with openat2(RESOLVE_IN_ROOT): a symlink in an image
 * (say /dev -> /etc) then points inside the image, never at the host.
 */
static int open_in_root(int rootfd, const char *path, int flags)
{
    struct open_how how;
    memset(&how, 0, sizeof how);
    how.flags = (uint64_t)(flags | O_CLOEXEC);
    how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;
    return (int)syscall(SYS_openat2, rootfd, path, &how, sizeof how);
}

static int mkdirs_in_root_depth(int rootfd, const char *path, int depth)
{
    char tmp[4096];
    if (depth > 16) { errno = ELOOP; return -1; }
    if (snprintf(tmp, sizeof tmp, "%s/", path) >= (int)sizeof tmp) { errno = ENAMETOOLONG; return -1; }
    for (char *p = tmp + 1; *p; p++) {
        if (*p != '/') continue;
        *p = '\0';
        int fd = open_in_root(rootfd, tmp, O_PATH | O_DIRECTORY);
        if (fd < 0 && errno == ENOENT) {
            char *last = strrchr(tmp, '/');
            *last = '\0';
            int parent = open_in_root(rootfd, *tmp ? tmp : "/", O_PATH | O_DIRECTORY);
            *last = '/';
            if (parent < 0) return -1;
            int rc = mkdirat(parent, last + 1, 0755);
            if (rc && errno == EEXIST) {
                /* A dangling symlink: create what it names, still inside the root. */
                char link[4096], dest[8192];
                ssize_t n = readlinkat(parent, last + 1, link, sizeof link - 1);
                if (n > 0) {
                    link[n] = '\0';
                    *last = '\0';
                    if (link[0] == '/') snprintf(dest, sizeof dest, "%s", link);
                    else snprintf(dest, sizeof dest, "%s/%s", tmp, link);
                    *last = '/';
                    rc = mkdirs_in_root_depth(rootfd, dest, depth + 1);
                }
            }
            close(parent);
            if (rc && errno != EEXIST) return -1;
            fd = open_in_root(rootfd, tmp, O_PATH | O_DIRECTORY);
        }
        if (fd < 0) return -1;
        close(fd);
        *p = '/';
    }
    return 0;
}

static int mkdirs_in_root(int rootfd, const char *path)
{
    return mkdirs_in_root_depth(rootfd, path, 0);
}

/* Opens (creating it) the directory that holds path's last component; *name points at that component in buf. */
static int open_parent_in_root(int rootfd, const char *path, char *buf, size_t len, const char **name)
{
    snprintf(buf, len, "%s", path);
    char *last = strrchr(buf, '/');
    if (!last || !last[1]) { errno = EINVAL; return -1; }
    *last = '\0';
    *name = last + 1;
    const char *dir = *buf ? buf : "/";
    if (mkdirs_in_root(rootfd, dir)) return -1;
    return open_in_root(rootfd, dir, O_PATH | O_DIRECTORY);
}

/* A bind mount of a file needs a file to land on; everything else needs a directory. Returns an O_PATH fd. */
static int open_mount_point(int rootfd, const struct mount_entry *m)
{
    struct stat st;
    if ((m->flags & MS_BIND) && stat(m->source, &st) == 0 && !S_ISDIR(st.st_mode)) {
        char buf[4096];
        const char *name;
        int parent = open_parent_in_root(rootfd, m->target, buf, sizeof buf, &name);
        if (parent < 0) return -1;
        int fd = openat(parent, name, O_CREAT | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0644);
        if (fd >= 0) close(fd);
        close(parent);
    } else if (mkdirs_in_root(rootfd, m->target)) {
        return -1;
    }
    return open_in_root(rootfd, m->target, O_PATH);
}

static void do_mounts(const struct spec *s, int rootfd, int errfd)
{
    char target[64];
    const unsigned long remount_flags = MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC;
    for (int i = 0; i < s->nmounts; i++) {
        const struct mount_entry *m = &s->mounts[i];
        if (m->flags & MS_REMOUNT) continue; /* see remount_after_links */
        int fd = open_mount_point(rootfd, m);
        if (fd < 0) fail(errfd, EXIT_NVJRUN, "create mount point %s: %s", m->target, strerror(errno));
        snprintf(target, sizeof target, "/proc/self/fd/%d", fd);
        unsigned long first = (m->flags & MS_BIND) ? m->flags & ~remount_flags : m->flags;
        if (mount(m->source, target, m->fstype, first, *m->data ? m->data : NULL))
            fail(errfd, EXIT_NVJRUN, "mount %s on %s (%s): %s", m->source, m->target, *m->fstype ? m->fstype : "bind", strerror(errno));
        close(fd);
        if ((m->flags & MS_BIND) && (m->flags & remount_flags)) {
            /* Reopen: the old fd still names the directory under the new mount. */
            fd = open_in_root(rootfd, m->target, O_PATH);
            snprintf(target, sizeof target, "/proc/self/fd/%d", fd);
            if (fd < 0 || mount(NULL, target, NULL, MS_BIND | MS_REMOUNT | (m->flags & (remount_flags | MS_REC)), NULL))
                fail(errfd, EXIT_NVJRUN, "remount %s read-only: %s", m->target, strerror(errno));
            close(fd);
        }
    }
}

/* MS_REMOUNT entries change the flags of a mount made earlier, once its mount points and symlinks exist
   (a tmpfs that holds other mounts and links, such as /sys/fs/cgroup on v1, can only then be made read-only). */
static void remount_after_links(const struct spec *s, int rootfd, int errfd)
{
    char target[64];
    for (int i = 0; i < s->nmounts; i++) {
        const struct mount_entry *m = &s->mounts[i];
        if (!(m->flags & MS_REMOUNT)) continue;
        int fd = open_in_root(rootfd, m->target, O_PATH);
        snprintf(target, sizeof target, "/proc/self/fd/%d", fd);
        if (fd < 0 || mount(NULL, target, NULL, m->flags, *m->data ? m->data : NULL))
            fail(errfd, EXIT_NVJRUN, "remount %s: %s", m->target, strerror(errno));
        close(fd);
    }
}

static void make_devices(const struct spec *s, int rootfd, int errfd)
{
    char buf[4096];
    const char *name;
    for (int i = 0; i < s->ndevices; i++) {
        const struct device_entry *d = &s->devices[i];
        int parent = open_parent_in_root(rootfd, d->path, buf, sizeof buf, &name);
        if (parent < 0) fail(errfd, EXIT_NVJRUN, "create directory for device %s: %s", d->path, strerror(errno));
        mode_t type = d->type == 'b' ? S_IFBLK : S_IFCHR;
        unlinkat(parent, name, 0);
        if (mknodat(parent, name, type | (d->mode & 07777), makedev(d->major, d->minor)))
            fail(errfd, EXIT_NVJRUN, "create device %s (%u:%u): %s", d->path, d->major, d->minor, strerror(errno));
        if (fchmodat(parent, name, d->mode & 07777, 0) || fchownat(parent, name, d->uid, d->gid, AT_SYMLINK_NOFOLLOW))
            fail(errfd, EXIT_NVJRUN, "set owner and mode of device %s: %s", d->path, strerror(errno));
        close(parent);
    }
    for (int i = 0; i < s->nsymlinks; i++) {
        int parent = open_parent_in_root(rootfd, s->symlinks[i].link, buf, sizeof buf, &name);
        if (parent < 0 || (symlinkat(s->symlinks[i].target, parent, name) && errno != EEXIST))
            fail(errfd, EXIT_NVJRUN, "create symlink %s: %s", s->symlinks[i].link, strerror(errno));
        close(parent);
    }
}

/*
 * LDCONFIG: the container's process, its mounts made, tells the supervisor ("M" on readyfd) and waits for
 * its go-ahead ("L" on syncfd); anything else means the supervisor failed and reported it.
 */
static void await_ldconfig(int errfd, int readyfd, int syncfd)
{
    char go;
    if (write(readyfd, "M", 1) != 1) fail(errfd, EXIT_NVJRUN, "tell the supervisor the mounts are made: %s", strerror(errno));
    close(readyfd);
    if (read(syncfd, &go, 1) != 1 || go != 'L') _exit(EXIT_NVJRUN);
}

static void enter_root(const struct spec *s, int errfd, int readyfd, int syncfd)
{
    if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL))
        fail(errfd, EXIT_NVJRUN, "make mount propagation private: %s", strerror(errno));
    if (mount(s->rootfs, s->rootfs, NULL, MS_BIND | MS_REC, NULL))
        fail(errfd, EXIT_NVJRUN, "bind mount root file system %s: %s", s->rootfs, strerror(errno));
    int rootfd = open(s->rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (rootfd < 0) fail(errfd, EXIT_NVJRUN, "open root file system %s: %s", s->rootfs, strerror(errno));
    do_mounts(s, rootfd, errfd);
    make_devices(s, rootfd, errfd);
    remount_after_links(s, rootfd, errfd);
    close(rootfd);
    if (readyfd >= 0) await_ldconfig(errfd, readyfd, syncfd);
    /* pivot_root(".", ".") stacks the old root on the new one; detaching it leaves only the new. */
    if (chdir(s->rootfs)) fail(errfd, EXIT_NVJRUN, "enter root file system %s: %s", s->rootfs, strerror(errno));
    if (syscall(SYS_pivot_root, ".", "."))
        fail(errfd, EXIT_NVJRUN, "pivot_root to %s: %s", s->rootfs, strerror(errno));
    if (umount2(".", MNT_DETACH)) fail(errfd, EXIT_NVJRUN, "detach old root: %s", strerror(errno));
    if (chdir("/")) fail(errfd, EXIT_NVJRUN, "chdir /: %s", strerror(errno));
    for (int i = 0; i < s->nmasked; i++) {
        struct stat st;
        const char *p = s->masked[i];
        if (stat(p, &st)) continue;
        int rc = S_ISDIR(st.st_mode) ? mount("tmpfs", p, "tmpfs", MS_RDONLY, "size=0")
                                     : mount("/dev/null", p, NULL, MS_BIND, NULL);
        if (rc) fail(errfd, EXIT_NVJRUN, "mask %s: %s", p, strerror(errno));
    }
    for (int i = 0; i < s->nreadonly; i++) {
        const char *p = s->readonly[i];
        if (access(p, F_OK)) continue;
        if (mount(p, p, NULL, MS_BIND | MS_REC, NULL)
            || mount(NULL, p, NULL, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_REC, NULL))
            fail(errfd, EXIT_NVJRUN, "make %s read-only: %s", p, strerror(errno));
    }
    if (s->readonly_rootfs && mount(NULL, "/", NULL, MS_BIND | MS_REMOUNT | MS_RDONLY, NULL))
        fail(errfd, EXIT_NVJRUN, "make root file system read-only: %s", strerror(errno));
}

static void loopback_up(int errfd)
{
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    strcpy(ifr.ifr_name, "lo");
    if (fd < 0 || ioctl(fd, SIOCGIFFLAGS, &ifr)) fail(errfd, EXIT_NVJRUN, "read flags of lo: %s", strerror(errno));
    ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
    if (ioctl(fd, SIOCSIFFLAGS, &ifr)) fail(errfd, EXIT_NVJRUN, "bring lo up: %s", strerror(errno));
    close(fd);
}

static void apply_security(struct spec *s, int errfd)
{
    /* "All capabilities" can only mean all that this host's bounding set still has. */
    for (int cap = 0; cap < 64; cap++) {
        if (prctl(PR_CAPBSET_READ, cap, 0, 0, 0) == 1) continue;
        uint64_t bit = ~(1ULL << cap);
        s->cap_bounding &= bit; s->cap_effective &= bit; s->cap_permitted &= bit;
        s->cap_inheritable &= bit; s->cap_ambient &= bit;
    }
    for (int i = 0; i < s->nrlimits; i++) {
        struct rlimit cur, want = { s->rlimits[i].soft, s->rlimits[i].hard };
        if (setrlimit(s->rlimits[i].resource, &want)) {
            int e = errno;
            getrlimit(s->rlimits[i].resource, &cur);
            fail(errfd, EXIT_NVJRUN, "setrlimit %d to %llu:%llu: %s (current hard limit %llu)", s->rlimits[i].resource,
                 (unsigned long long)want.rlim_cur, (unsigned long long)want.rlim_max, strerror(e),
                 (unsigned long long)cur.rlim_max);
        }
    }
    if (s->cwd && *s->cwd && chdir(s->cwd)) fail(errfd, EXIT_NVJRUN, "chdir to working directory %s: %s", s->cwd, strerror(errno));
    for (int cap = 0; cap < 64; cap++) {
        if (s->cap_bounding & (1ULL << cap)) continue;
        if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) && errno != EINVAL)
            fail(errfd, EXIT_NVJRUN, "drop capability %d from the bounding set: %s", cap, strerror(errno));
    }
    if (s->no_new_privs && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
        fail(errfd, EXIT_NVJRUN, "set no_new_privs: %s", strerror(errno));
    /* Installed while still root with CAP_SYS_ADMIN, so it works without no_new_privs too. */
    if (s->seccomp_len) {
        if (s->seccomp_len % sizeof(struct sock_filter))
            fail(errfd, EXIT_NVJRUN, "seccomp program is %zu bytes, not a whole number of instructions", s->seccomp_len);
        struct sock_fprog prog = { (unsigned short)(s->seccomp_len / sizeof(struct sock_filter)), (struct sock_filter *)s->seccomp };
        if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog))
            fail(errfd, EXIT_NVJRUN, "install seccomp filter: %s", strerror(errno));
    }
    if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0)) fail(errfd, EXIT_NVJRUN, "keep capabilities: %s", strerror(errno));
    if (setgroups((size_t)s->ngroups, s->groups)) fail(errfd, EXIT_NVJRUN, "setgroups: %s", strerror(errno));
    if (setresgid(s->gid, s->gid, s->gid)) fail(errfd, EXIT_NVJRUN, "setgid %u: %s", s->gid, strerror(errno));
    if (setresuid(s->uid, s->uid, s->uid)) fail(errfd, EXIT_NVJRUN, "setuid %u: %s", s->uid, strerror(errno));
    struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
    struct __user_cap_data_struct data[2] = {
        { (uint32_t)s->cap_effective, (uint32_t)s->cap_permitted, (uint32_t)s->cap_inheritable },
        { (uint32_t)(s->cap_effective >> 32), (uint32_t)(s->cap_permitted >> 32), (uint32_t)(s->cap_inheritable >> 32) },
    };
    if (syscall(SYS_capset, &hdr, data)) fail(errfd, EXIT_NVJRUN, "set capabilities: %s", strerror(errno));
    for (int cap = 0; cap < 64; cap++) {
        if ((s->cap_ambient & (1ULL << cap)) && prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, cap, 0, 0))
            fail(errfd, EXIT_NVJRUN, "raise ambient capability %d: %s", cap, strerror(errno));
    }
}

static const char *env_path(const struct spec *s)
{
    for (int i = 0; i < s->envc; i++)
        if (!strncmp(s->envp[i], "PATH=", 5)) return s->envp[i] + 5;
    return "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
}

/* Docker's exit codes: 127 when the command does not exist, 126 when it exists but cannot run. */
static void exec_command(struct spec *s, int errfd)
{
    const char *cmd = s->argv[0];
    if (strchr(cmd, '/')) {
        execve(cmd, s->argv, s->envp);
        fail(errfd, errno == ENOENT || errno == ENOTDIR ? EXIT_NOT_FOUND : EXIT_NOT_EXECUTABLE,
             "exec %s: %s", cmd, strerror(errno));
    }
    char path[4096];
    int denied = 0;
    const char *p = env_path(s);
    while (*p) {
        const char *end = strchrnul(p, ':');
        snprintf(path, sizeof path, "%.*s/%s", (int)(end - p), p, cmd);
        execve(path, s->argv, s->envp);
        if (errno == EACCES || errno == ENOEXEC || errno == EPERM) denied = errno;
        p = *end ? end + 1 : end;
    }
    if (denied) fail(errfd, EXIT_NOT_EXECUTABLE, "exec %s: %s", cmd, strerror(denied));
    fail(errfd, EXIT_NOT_FOUND, "exec %s: executable file not found in $PATH", cmd);
}

static void forward_signal(int sig)
{
    if (forward_to > 0) kill(forward_to, sig);
}

static void install_forwarding(void)
{
    static const int sigs[] = { SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGWINCH, SIGCONT };
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = forward_signal;
    sa.sa_flags = SA_RESTART;
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) sigaction(sigs[i], &sa, NULL);
}

static int status_code(int status)
{
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* --init: PID 1 reaps every orphan and forwards signals, and leaves with its one child's status. */
static void run_as_init(struct spec *s, int errfd)
{
    pid_t child = fork();
    if (child < 0) fail(errfd, EXIT_NVJRUN, "fork the command under init: %s", strerror(errno));
    if (child == 0) exec_command(s, errfd);
    close(errfd);
    forward_to = child;
    install_forwarding();
    for (;;) {
        int status;
        pid_t pid = waitpid(-1, &status, 0);
        if (pid < 0 && errno == EINTR) continue;
        if (pid < 0) _exit(EXIT_NVJRUN);
        if (pid == child) _exit(status_code(status));
    }
}

static void container_main(struct spec *s, int errfd, int syncfd, int readyfd, int ttysock, int netnsfd, const int logpipes[2])
{
    /* Without a terminal the container writes into the supervisor's log pipes; with one, to the pty. */
    if (s->log_path && !s->tty && (dup2(logpipes[0], 1) < 0 || dup2(logpipes[1], 2) < 0))
        fail(errfd, EXIT_NVJRUN, "connect the container's output to its log: %s", strerror(errno));
    char go;
    if (read(syncfd, &go, 1) != 1) _exit(EXIT_NVJRUN); /* the supervisor failed and told Java itself */
    /* A cgroup namespace is rooted at the groups its creator is in, so it is made only now that the
       supervisor has placed this process in the container's groups, and before the mounts: a cgroup
       file system mounted inside it shows those groups as its root. */
    if ((s->ns_flags & CLONE_NEWCGROUP) && !s->join_pid && unshare(CLONE_NEWCGROUP))
        fail(errfd, EXIT_NVJRUN, "create cgroup namespace: %s", strerror(errno));
    /* Before the mounts: /proc and /sys mounted later must belong to the joined network namespace. */
    if (netnsfd >= 0) {
        if (setns(netnsfd, CLONE_NEWNET)) fail(errfd, EXIT_NVJRUN, "join network namespace %s: %s", s->netns, strerror(errno));
        close(netnsfd);
    }
    if (!s->join_pid) {
        if (s->ns_flags & CLONE_NEWNS) enter_root(s, errfd, readyfd, syncfd);
        else fail(errfd, EXIT_NVJRUN, "a container needs its own mount namespace");
        if ((s->ns_flags & CLONE_NEWUTS) && s->hostname && sethostname(s->hostname, strlen(s->hostname)))
            fail(errfd, EXIT_NVJRUN, "set hostname %s: %s", s->hostname, strerror(errno));
        if ((s->ns_flags & CLONE_NEWNET) && s->loopback_up) loopback_up(errfd);
    }
    close(syncfd);
    if (s->tty) {
        char err[512];
        if (tty_attach_container(ttysock, s->tty_rows, s->tty_cols, err, sizeof err)) fail(errfd, EXIT_NVJRUN, "%s", err);
        close(ttysock);
    }
    apply_security(s, errfd);
    if (s->init) run_as_init(s, errfd);
    exec_command(s, errfd);
}

static int join_cgroups(const struct spec *s, pid_t pid, char *err, size_t errlen)
{
    char path[4096], num[32];
    int n = snprintf(num, sizeof num, "%d", pid);
    for (int i = 0; i < s->ncgroups; i++) {
        snprintf(path, sizeof path, "%s/cgroup.procs", s->cgroups[i]);
        int fd = open(path, O_WRONLY | O_CLOEXEC);
        if (fd < 0 || write(fd, num, (size_t)n) != n) {
            snprintf(err, errlen, "join cgroup %s: %s", s->cgroups[i], strerror(errno));
            if (fd >= 0) close(fd);
            return -1;
        }
        close(fd);
    }
    return 0;
}

/* exec: all namespace files are opened first, since joining the mount namespace hides the host's /proc. */
static int join_namespaces(const struct spec *s, char *err, size_t errlen)
{
    static const struct { int flag; const char *name; } order[] = {
        { CLONE_NEWCGROUP, "cgroup" }, { CLONE_NEWIPC, "ipc" }, { CLONE_NEWUTS, "uts" },
        { CLONE_NEWNET, "net" }, { CLONE_NEWPID, "pid" }, { CLONE_NEWNS, "mnt" },
    };
    int fds[6];
    char path[64];
    for (int i = 0; i < 6; i++) {
        fds[i] = -1;
        /* A container that joined a network namespace file shares it with its exec'd processes too. */
        int wanted = s->ns_flags | (s->netns ? CLONE_NEWNET : 0);
        if (!(wanted & order[i].flag)) continue;
        snprintf(path, sizeof path, "/proc/%d/ns/%s", s->join_pid, order[i].name);
        fds[i] = open(path, O_RDONLY | O_CLOEXEC);
        if (fds[i] < 0) {
            snprintf(err, errlen, "open %s: %s (is the container still running?)", path, strerror(errno));
            return -1;
        }
    }
    for (int i = 0; i < 6; i++) {
        if (fds[i] < 0) continue;
        if (setns(fds[i], order[i].flag)) {
            snprintf(err, errlen, "join %s namespace of pid %d: %s", order[i].name, s->join_pid, strerror(errno));
            return -1;
        }
        close(fds[i]);
    }
    return 0;
}

/* Atomic (rename) but not fsync'd: these files describe processes, which do not outlive a crash of the
   machine either. An fsync here also commits the ext4 journal, after which every unlink of the
   container's freshly written files costs a discard (about 1 ms each on this kind of disk). */
static void write_file_atomically(const char *path, const char *content)
{
    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) return;
    write_all(fd, content, strlen(content));
    close(fd);
    rename(tmp, path);
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st; (void)flag; (void)ftw;
    remove(path);
    return 0;
}

/* The exit command (conmon's --exit-command): nvjrun's own clean-up of what Java set up (network, rootfs, state).
   Returns 0 when it ran and succeeded. */
static int run_exit_command(const struct spec *s)
{
    pid_t pid = fork();
    if (pid < 0) return -1;
    if (pid == 0) {
        signal(SIGPIPE, SIG_DFL);
        execv(s->exit_argv[0], s->exit_argv);
        _exit(EXIT_NOT_FOUND);
    }
    int status;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) return -1;
    }
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

/* run -d --rm: with no daemon to do it, the supervisor removes the container's cgroups and state itself.
   `wait` still needs the exit status once the state is gone: it stays beside the lock file as
   <lock>.exit, written before the state goes (prune removes it). */
static void remove_container(const struct spec *s, int code)
{
    /* The caller's lock (an fcntl lock, as Java's FileChannel.lock takes) keeps us from removing the
       state while nvjrun is still recording the start or reading it. */
    int lock = open(s->remove_lock, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
    if (lock >= 0) while (fcntl(lock, F_SETLKW, &fl) < 0 && errno == EINTR) {}
    for (int i = 0; i < s->ncgroups; i++) {
        /* A group stays busy for a moment while the kernel finishes tearing down the exited tasks. */
        for (int attempt = 0; attempt < 500; attempt++) {
            if (rmdir(s->cgroups[i]) == 0 || errno == ENOENT) break;
            usleep(10000);
        }
    }
    char kept[PATH_MAX], line[32];
    snprintf(kept, sizeof kept, "%s.exit", s->remove_lock);
    snprintf(line, sizeof line, "%d\n", code);
    write_file_atomically(kept, line);
    nftw(s->remove_dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
    unlink(s->remove_lock);
    if (lock >= 0) close(lock);
}

/*
 * LDCONFIG, as libnvidia-container runs it: the host's ldconfig (its argv holds -r ROOT) in the container's
 * mount namespace, where the driver libraries are now bind-mounted into the root and, before pivot_root, the
 * host's binary is still visible. Forked by the supervisor, so it is not counted in the container's cgroups
 * (a pids limit of 1 stays possible). Its output is kept for the error message only.
 */
static int run_ldconfig(const struct spec *s, pid_t pid, char *err, size_t errlen)
{
    const char *cmd = s->ldconfig_argv[0];
    char path[64];
    int out[2];
    snprintf(path, sizeof path, "/proc/%d/ns/mnt", pid);
    int ns = open(path, O_RDONLY | O_CLOEXEC);
    if (ns < 0 || pipe2(out, O_CLOEXEC)) {
        snprintf(err, errlen, "prepare to run %s in the container: %s", cmd, strerror(errno));
        if (ns >= 0) close(ns);
        return -1;
    }
    pid_t child = fork();
    if (child < 0) {
        snprintf(err, errlen, "fork %s: %s", cmd, strerror(errno));
        close(ns); close(out[0]); close(out[1]);
        return -1;
    }
    if (child == 0) {
        char *const envp[] = { NULL };
        int in = open("/dev/null", O_RDONLY | O_CLOEXEC);
        if (in < 0 || dup2(in, 0) < 0 || dup2(out[1], 1) < 0 || dup2(out[1], 2) < 0) _exit(EXIT_NVJRUN);
        if (setns(ns, CLONE_NEWNS)) { dprintf(2, "join the container's mount namespace: %s", strerror(errno)); _exit(EXIT_NVJRUN); }
        syscall(SYS_close_range, 3U, ~0U, 0U); /* the status pipe and the log stay the supervisor's */
        signal(SIGPIPE, SIG_DFL);
        execve(cmd, s->ldconfig_argv, envp);
        dprintf(2, "exec: %s", strerror(errno));
        _exit(EXIT_NOT_FOUND);
    }
    close(ns);
    close(out[1]);
    char text[512];
    size_t used = 0;
    for (;;) {
        char chunk[512];
        ssize_t n = read(out[0], chunk, sizeof chunk);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        size_t keep = (size_t)n < sizeof text - 1 - used ? (size_t)n : sizeof text - 1 - used;
        memcpy(text + used, chunk, keep);
        used += keep;
    }
    close(out[0]);
    int status;
    while (waitpid(child, &status, 0) < 0) {
        if (errno != EINTR) { snprintf(err, errlen, "wait for %s: %s", cmd, strerror(errno)); return -1; }
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return 0;
    while (used > 0 && (text[used - 1] == '\n' || text[used - 1] == ' ')) used--;
    text[used] = '\0';
    for (char *c = text; *c; c++) if (*c == '\n') *c = ' ';
    snprintf(err, errlen, "run the host's %s over the root file system: %s %d (%s)", cmd,
             WIFEXITED(status) ? "exit status" : "killed by signal", WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status), text);
    return -1;
}

static int supervise(struct spec *s)
{
    int errpipe[2], syncpipe[2], ttysock[2] = { -1, -1 }, outpipe[2] = { -1, -1 }, errlog[2] = { -1, -1 }, ready[2] = { -1, -1 };
    static struct logger log;
    char err[1200];
    if (s->log_path && logger_open(&log, s->log_path, s->log_max_size, s->log_max_files, s->log_tee, err, sizeof err)) {
        report_status("ERR %d %s\n", EXIT_NVJRUN, err);
        return EXIT_NVJRUN;
    }
    if (pipe2(errpipe, O_CLOEXEC) || pipe2(syncpipe, O_CLOEXEC)
        || (s->tty && socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, ttysock))
        || (s->log_path && !s->tty && (pipe2(outpipe, O_CLOEXEC) || pipe2(errlog, O_CLOEXEC)))
        || (s->ldconfig_argc && !s->join_pid && pipe2(ready, O_CLOEXEC))) {
        report_status("ERR %d create pipes: %s\n", EXIT_NVJRUN, strerror(errno));
        return EXIT_NVJRUN;
    }
    int clone_flags = s->ns_flags & ~CLONE_NEWCGROUP; /* unshared by the child once in its groups */
    int netnsfd = -1;
    if (s->netns && !s->join_pid) {
        /* Opened here, where the host's mounts are certain to be visible; joined by the child. */
        netnsfd = open(s->netns, O_RDONLY | O_CLOEXEC);
        if (netnsfd < 0) {
            report_status("ERR %d open network namespace %s: %s\n", EXIT_NVJRUN, s->netns, strerror(errno));
            return EXIT_NVJRUN;
        }
        clone_flags &= ~CLONE_NEWNET;
    }
    if (s->join_pid) {
        /* exec joins as a whole (like runc exec): the cgroups first, while host paths are still visible. */
        if (join_cgroups(s, getpid(), err, sizeof err) || join_namespaces(s, err, sizeof err)) {
            report_status("ERR %d %s\n", EXIT_NVJRUN, err);
            return EXIT_NVJRUN;
        }
        clone_flags = 0;
    }
    /* A fork-like clone: the child is PID 1 of the new pid namespace and alone in the others. */
    pid_t pid = (pid_t)syscall(SYS_clone, SIGCHLD | clone_flags, NULL, NULL, NULL, NULL);
    if (pid < 0) {
        report_status("ERR %d create namespaces: %s\n", EXIT_NVJRUN, strerror(errno));
        return EXIT_NVJRUN;
    }
    if (pid == 0) {
        close(errpipe[0]);
        close(syncpipe[1]);
        close(STATUS_FD);
        if (s->tty) close(ttysock[0]);
        if (outpipe[0] >= 0) { close(outpipe[0]); close(errlog[0]); }
        if (ready[0] >= 0) close(ready[0]);
        const int logpipes[2] = { outpipe[1], errlog[1] };
        container_main(s, errpipe[1], syncpipe[0], ready[1], ttysock[1], netnsfd, logpipes);
    }
    if (ready[1] >= 0) close(ready[1]);
    /* Only the container may hold the write ends, or the pipes never end. */
    if (outpipe[1] >= 0) { close(outpipe[1]); close(errlog[1]); }
    close(errpipe[1]);
    close(syncpipe[0]);
    if (s->tty) close(ttysock[1]);
    if (netnsfd >= 0) close(netnsfd);
    forward_to = pid;
    install_forwarding();
    if (!s->join_pid && join_cgroups(s, pid, err, sizeof err)) {
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
        report_status("ERR %d %s\n", EXIT_NVJRUN, err);
        return EXIT_NVJRUN;
    }
    write_all(syncpipe[1], "G", 1);
    if (ready[0] >= 0) {
        /* EOF instead of "M": the container failed before its mounts were made, and says why on errpipe. */
        char m;
        ssize_t n;
        while ((n = read(ready[0], &m, 1)) < 0 && errno == EINTR) {}
        close(ready[0]);
        if (n == 1 && run_ldconfig(s, pid, err, sizeof err)) {
            kill(pid, SIGKILL);
            waitpid(pid, NULL, 0);
            report_status("ERR %d %s\n", EXIT_NVJRUN, err);
            return EXIT_NVJRUN;
        }
        if (n == 1) write_all(syncpipe[1], "L", 1);
    }
    close(syncpipe[1]);
    size_t used = 0;
    for (;;) {
        ssize_t n = read(errpipe[0], err + used, sizeof err - 1 - used);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        used += (size_t)n;
    }
    err[used] = '\0';
    close(errpipe[0]);
    int status;
    if (used > 0) {
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
        report_status("ERR %s\n", err);
        close(STATUS_FD);
        return status_code(status);
    }
    if (s->pid_file) {
        char line[64];
        snprintf(line, sizeof line, "%d %d\n", getpid(), pid);
        write_file_atomically(s->pid_file, line);
    }
    int master = s->tty ? tty_receive_master(ttysock[0]) : -1;
    if (s->tty) close(ttysock[0]);
    report_status("OK %d\n", pid);
    close(STATUS_FD);
    /* A caller that stopped reading must not kill the supervisor, and so lose the log and the status. */
    if (s->log_path) signal(SIGPIPE, SIG_IGN);
    if (master >= 0) tty_proxy(master, s->tty_interactive, s->tty_rows, s->tty_cols, s->log_path ? &log : NULL);
    else if (s->log_path) logger_pump(&log, outpipe[0], errlog[0], pid);
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) return EXIT_NVJRUN;
    }
    forward_to = 0;
    int code = status_code(status);
    if (s->exit_file) {
        char line[32];
        snprintf(line, sizeof line, "%d\n", code);
        write_file_atomically(s->exit_file, line);
    }
    /* The exit status is recorded first: the exit command reads it. AUTOREMOVE stays the fallback, so a
       failed clean-up still leaves no running-looking state behind; prune finishes the rest. */
    if (s->exit_argc && run_exit_command(s) == 0) return code;
    if (s->remove_dir) remove_container(s, code);
    return code;
}

/* Empty paths keep the stream the helper inherited; output files are appended to, like a log. */
static int redirect_stdio(const struct spec *s)
{
    for (int i = 0; i < 3; i++) {
        if (!s->stdio[i] || !*s->stdio[i]) continue;
        int fd = i == 0 ? open(s->stdio[i], O_RDONLY | O_CLOEXEC)
                        : open(s->stdio[i], O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
        if (fd < 0 || dup2(fd, i) < 0) {
            report_status("ERR %d open %s for fd %d: %s\n", EXIT_NVJRUN, s->stdio[i], i, strerror(errno));
            return -1;
        }
        close(fd);
    }
    return 0;
}

/* A detached container's supervisor outlives the caller, in its own session; the caller reaps the parent. */
static void detach(void)
{
    pid_t pid = fork();
    if (pid < 0) {
        report_status("ERR %d fork supervisor: %s\n", EXIT_NVJRUN, strerror(errno));
        _exit(EXIT_NVJRUN);
    }
    if (pid > 0) _exit(0);
    setsid();
}

int main(void)
{
    static struct spec s;
    char err[512];
    size_t len;
    if (fcntl(STATUS_FD, F_GETFD) < 0) {
        fprintf(stderr, "nvjrun-helper: fd 4 is not open; this program is started by nvjrun, not by hand\n");
        return EXIT_NVJRUN;
    }
    /* posix_spawn from the JVM passes every fd the JVM left inheritable; none belongs in a container. */
    syscall(SYS_close_range, 5U, ~0U, 0U);
    char *buf = read_spec(&len);
    close(SPEC_FD);
    if (!buf) {
        report_status("ERR %d read spec from fd 3: %s\n", EXIT_NVJRUN, strerror(errno));
        return EXIT_NVJRUN;
    }
    if (spec_parse(buf, len, &s, err, sizeof err)) {
        report_status("ERR %d %s\n", EXIT_NVJRUN, err);
        return EXIT_NVJRUN;
    }
    if (redirect_stdio(&s)) return EXIT_NVJRUN;
    if (s.detach) detach();
    return supervise(&s);
}
