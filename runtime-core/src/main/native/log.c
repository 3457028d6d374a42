/*
 * Docker's json-file log driver, byte for byte: {"log":"...","stream":"stdout","time":"RFC3339Nano"} per line,
 * the string escaped as moby's jsonlog does (quote, backslash, \n, \r, other control characters and <>& as
 * \u00XX, invalid UTF-8 bytes as \ufffd, U+2028/2029 escaped), lines over 16 KiB split into partial entries
 * without a newline, and rotation to path.1 ... path.<max_files-1> once max_size is reached.
 */
#define _GNU_SOURCE
#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const char *const stream_names[2] = { "stdout", "stderr" };
static char entry[LOG_LINE_MAX * 6 + 128]; /* the worst case: every byte escaped as \u00XX */

static int write_all_fd(int fd, const char *buf, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, buf, len);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return -1;
        buf += n;
        len -= (size_t)n;
    }
    return 0;
}

int logger_open(struct logger *l, const char *path, uint64_t max_size, int max_files, int tee, char *err, size_t errlen)
{
    struct stat st;
    memset(l, 0, sizeof *l);
    l->path = path;
    l->max_size = max_size;
    l->max_files = max_files < 1 ? 1 : max_files;
    l->tee[0] = tee ? 1 : -1;
    l->tee[1] = tee ? 2 : -1;
    l->file = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
    if (l->file < 0 || fstat(l->file, &st)) {
        snprintf(err, errlen, "open the container log %s: %s", path, strerror(errno));
        return -1;
    }
    l->size = (uint64_t)st.st_size;
    return 0;
}

/* Go's utf8.DecodeRune: the length of a valid sequence at s (at most n bytes), or 0 when the byte starts none. */
static int utf8_length(const unsigned char *s, size_t n, unsigned *rune)
{
    unsigned c = s[0], r, min;
    int len;
    if (c >= 0xc2 && c <= 0xdf) { len = 2; r = c & 0x1f; min = 0x80; }
    else if (c >= 0xe0 && c <= 0xef) { len = 3; r = c & 0x0f; min = 0x800; }
    else if (c >= 0xf0 && c <= 0xf4) { len = 4; r = c & 0x07; min = 0x10000; }
    else return 0;
    if ((size_t)len > n) return 0;
    for (int i = 1; i < len; i++) {
        if ((s[i] & 0xc0) != 0x80) return 0;
        r = (r << 6) | (s[i] & 0x3f);
    }
    if (r < min || r > 0x10ffff || (r >= 0xd800 && r <= 0xdfff)) return 0;
    *rune = r;
    return len;
}

static size_t escape(char *out, const unsigned char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    size_t o = 0;
    for (size_t i = 0; i < n;) {
        unsigned char b = s[i];
        if (b < 0x80) {
            if (b >= 0x20 && b != '\\' && b != '"' && b != '<' && b != '>' && b != '&') out[o++] = (char)b;
            else if (b == '\\' || b == '"') { out[o++] = '\\'; out[o++] = (char)b; }
            else if (b == '\n') { out[o++] = '\\'; out[o++] = 'n'; }
            else if (b == '\r') { out[o++] = '\\'; out[o++] = 'r'; }
            else { memcpy(out + o, "\\u00", 4); o += 4; out[o++] = hex[b >> 4]; out[o++] = hex[b & 0xf]; }
            i++;
            continue;
        }
        unsigned rune;
        int len = utf8_length(s + i, n - i, &rune);
        if (len == 0) { memcpy(out + o, "\\ufffd", 6); o += 6; i++; continue; }
        if (rune == 0x2028 || rune == 0x2029) { memcpy(out + o, "\\u202", 5); o += 5; out[o++] = hex[rune & 0xf]; }
        else { memcpy(out + o, s + i, (size_t)len); o += (size_t)len; }
        i += (size_t)len;
    }
    return o;
}

/* Go's time.RFC3339Nano in UTC: the fraction without trailing zeros, none at all for a whole second. */
static size_t timestamp(char *out, size_t len)
{
    struct timespec ts;
    struct tm tm;
    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    size_t o = strftime(out, len, "%Y-%m-%dT%H:%M:%S", &tm);
    if (ts.tv_nsec) {
        char frac[16];
        snprintf(frac, sizeof frac, ".%09ld", ts.tv_nsec);
        size_t f = strlen(frac);
        while (frac[f - 1] == '0') f--;
        memcpy(out + o, frac, f);
        o += f;
    }
    out[o++] = 'Z';
    return o;
}

/* Docker's rotation: path.<n-2> -> path.<n-1> ... path -> path.1, then a new empty path; with one file, just empty it. */
static void rotate(struct logger *l)
{
    char from[PATH_MAX], to[PATH_MAX];
    for (int i = l->max_files - 1; i >= 1; i--) {
        if (i == 1) snprintf(from, sizeof from, "%s", l->path);
        else snprintf(from, sizeof from, "%s.%d", l->path, i - 1);
        snprintf(to, sizeof to, "%s.%d", l->path, i);
        rename(from, to);
    }
    int fd = open(l->path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0640);
    if (fd < 0) return; /* keep writing to the old file rather than lose the output */
    close(l->file);
    l->file = fd;
    l->size = 0;
}

static void emit(struct logger *l, int stream, const char *line, size_t n, int newline)
{
    size_t o = 0;
    memcpy(entry, "{\"log\":\"", 8);
    o = 8;
    o += escape(entry + o, (const unsigned char *)line, n);
    if (newline) { memcpy(entry + o, "\\n", 2); o += 2; }
    o += (size_t)snprintf(entry + o, sizeof entry - o, "\",\"stream\":\"%s\",\"time\":\"", stream_names[stream]);
    o += timestamp(entry + o, sizeof entry - o);
    memcpy(entry + o, "\"}\n", 3);
    o += 3;
    if (l->max_size && l->size >= l->max_size) rotate(l);
    if (write_all_fd(l->file, entry, o) == 0) l->size += o;
}

void logger_write(struct logger *l, int stream, const char *buf, size_t n)
{
    /* A reader that went away (nvjrun run ... | head -1) stops the copy, never the container. */
    if (l->tee[stream] >= 0 && write_all_fd(l->tee[stream], buf, n)) l->tee[stream] = -1;
    char *line = l->line[stream];
    for (size_t i = 0; i < n; i++) {
        if (buf[i] == '\n') {
            emit(l, stream, line, l->used[stream], 1);
            l->used[stream] = 0;
            continue;
        }
        line[l->used[stream]++] = buf[i];
        if (l->used[stream] == LOG_LINE_MAX) {
            emit(l, stream, line, LOG_LINE_MAX, 0);
            l->used[stream] = 0;
        }
    }
}

void logger_end(struct logger *l, int stream)
{
    if (l->used[stream]) emit(l, stream, l->line[stream], l->used[stream], 1);
    l->used[stream] = 0;
}

static int child_exited(pid_t child)
{
    siginfo_t info;
    memset(&info, 0, sizeof info);
    /* WNOWAIT: the caller still reaps it and reads its status. */
    return waitid(P_PID, (id_t)child, &info, WEXITED | WNOHANG | WNOWAIT) == 0 && info.si_pid == child;
}

void logger_pump(struct logger *l, int out, int err, pid_t child)
{
    int fds[2] = { out, err };
    char buf[65536];
    int draining = 0;
    for (int i = 0; i < 2; i++)
        if (fds[i] >= 0) fcntl(fds[i], F_SETFL, fcntl(fds[i], F_GETFL) | O_NONBLOCK);
    for (;;) {
        struct pollfd p[2];
        int map[2], np = 0;
        for (int i = 0; i < 2; i++) {
            if (fds[i] < 0) continue;
            p[np].fd = fds[i];
            p[np].events = POLLIN;
            p[np].revents = 0;
            map[np++] = i;
        }
        if (np == 0) return;
        /* The pipes end when the container's last process does; the timeout only guards against a
           process outside its pid namespace keeping one open after the container exited. */
        int ready = poll(p, (nfds_t)np, draining ? 0 : 250);
        if (ready < 0 && errno != EINTR) return;
        for (int k = 0; k < np && ready > 0; k++) {
            if (!p[k].revents) continue;
            int i = map[k];
            for (;;) {
                ssize_t r = read(fds[i], buf, sizeof buf);
                if (r > 0) { logger_write(l, i, buf, (size_t)r); continue; }
                if (r < 0 && errno == EINTR) continue;
                if (r == 0 || errno != EAGAIN) {
                    logger_end(l, i);
                    close(fds[i]);
                    fds[i] = -1;
                }
                break;
            }
        }
        if (draining && ready <= 0) {
            for (int i = 0; i < 2; i++) {
                if (fds[i] < 0) continue;
                logger_end(l, i);
                close(fds[i]);
            }
            return;
        }
        if (ready == 0 && child_exited(child)) draining = 1;
    }
}
