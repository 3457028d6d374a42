#define _GNU_SOURCE
#include "tty.h"
#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <termios.h>
#include <unistd.h>

static volatile sig_atomic_t winch_pending;

static void on_winch(int sig)
{
    (void)sig;
    winch_pending = 1;
}

static void on_child(int sig)
{
    (void)sig; /* only interrupts poll */
}

/* The caller's terminal: stdout first (as Docker sizes the pty after its output; `run -t` has no stdin), then stdin, stderr. */
static void copy_window_size(int master)
{
    static const int fds[] = { 1, 0, 2 };
    struct winsize ws;
    for (int i = 0; i < 3; i++) {
        if (isatty(fds[i]) && ioctl(fds[i], TIOCGWINSZ, &ws) == 0) {
            ioctl(master, TIOCSWINSZ, &ws);
            return;
        }
    }
}

int tty_attach_container(int sock, unsigned rows, unsigned cols, char *err, size_t errlen)
{
    char name[64];
    int master = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (master < 0 || unlockpt(master) || ptsname_r(master, name, sizeof name)) {
        snprintf(err, errlen, "open a terminal on /dev/ptmx: %s", strerror(errno));
        return -1;
    }
    /* Sized before the command runs: it may ask for the size at once (`stty size`). This process still
       has the caller's stdio. */
    if (rows && cols) {
        struct winsize ws = { (unsigned short)rows, (unsigned short)cols, 0, 0 };
        ioctl(master, TIOCSWINSZ, &ws);
    } else {
        copy_window_size(master);
    }
    int slave = open(name, O_RDWR | O_NOCTTY);
    if (slave < 0) {
        snprintf(err, errlen, "open terminal %s: %s", name, strerror(errno));
        return -1;
    }
    char byte = 'T';
    struct iovec iov = { &byte, 1 };
    char control[CMSG_SPACE(sizeof(int))];
    memset(control, 0, sizeof control);
    struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = control, .msg_controllen = sizeof control };
    struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(c), &master, sizeof(int));
    if (sendmsg(sock, &msg, 0) != 1) {
        snprintf(err, errlen, "hand the terminal to the supervisor: %s", strerror(errno));
        return -1;
    }
    close(master);
    if (setsid() < 0 || ioctl(slave, TIOCSCTTY, 0)) {
        snprintf(err, errlen, "make %s the controlling terminal: %s", name, strerror(errno));
        return -1;
    }
    for (int fd = 0; fd < 3; fd++) {
        if (dup2(slave, fd) < 0) {
            snprintf(err, errlen, "use terminal %s as fd %d: %s", name, fd, strerror(errno));
            return -1;
        }
    }
    if (slave > 2) close(slave);
    return 0;
}

int tty_receive_master(int sock)
{
    char byte;
    struct iovec iov = { &byte, 1 };
    char control[CMSG_SPACE(sizeof(int))];
    struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = control, .msg_controllen = sizeof control };
    if (recvmsg(sock, &msg, MSG_CMSG_CLOEXEC) != 1) return -1;
    struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
    if (!c || c->cmsg_type != SCM_RIGHTS) return -1;
    int fd;
    memcpy(&fd, CMSG_DATA(c), sizeof(int));
    return fd;
}

static int write_all_fd(int fd, const char *buf, ssize_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, buf, (size_t)len);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return -1;
        buf += n;
        len -= n;
    }
    return 0;
}

void tty_proxy(int master, int interactive, unsigned rows, unsigned cols, struct logger *log)
{
    struct termios saved, raw;
    int restore = 0;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_winch;
    sigaction(SIGWINCH, &sa, NULL);
    sa.sa_handler = on_child;
    sigaction(SIGCHLD, &sa, NULL);
    /* Blocked except inside ppoll, so a resize between the check of winch_pending and the wait is not lost. */
    sigset_t block, unblocked;
    sigemptyset(&block);
    sigaddset(&block, SIGWINCH);
    sigaddset(&block, SIGCHLD);
    sigprocmask(SIG_BLOCK, &block, &unblocked);
    if (!(rows && cols)) copy_window_size(master); /* a resize since the container took its size */
    if (interactive && isatty(0) && tcgetattr(0, &saved) == 0) {
        raw = saved;
        cfmakeraw(&raw);
        restore = tcsetattr(0, TCSANOW, &raw) == 0;
    }
    char buf[8192];
    int stdin_open = interactive;
    for (;;) {
        if (winch_pending) {
            winch_pending = 0;
            copy_window_size(master);
        }
        struct pollfd fds[2] = { { master, POLLIN, 0 }, { 0, POLLIN, 0 } };
        int n = ppoll(fds, stdin_open ? 2 : 1, NULL, &unblocked);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) break;
        if (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) {
            ssize_t r = read(master, buf, sizeof buf);
            if (r < 0 && errno == EINTR) continue;
            if (r <= 0) break; /* EIO: every slave fd is closed, the container is gone */
            if (log) logger_write(log, 0, buf, (size_t)r);
            else write_all_fd(1, buf, r);
        }
        if (stdin_open && (fds[1].revents & (POLLIN | POLLHUP | POLLERR))) {
            ssize_t r = read(0, buf, sizeof buf);
            if (r < 0 && errno == EINTR) continue;
            if (r <= 0) stdin_open = 0;
            else write_all_fd(master, buf, r);
        }
    }
    if (restore) tcsetattr(0, TCSANOW, &saved);
    sigprocmask(SIG_SETMASK, &unblocked, NULL);
    if (log) logger_end(log, 0);
    close(master);
}
