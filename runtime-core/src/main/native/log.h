/* The json-file log (Docker's format): the supervisor reads the container's output and writes one JSON entry a line. */
#ifndef NVJRUN_LOG_H
#define NVJRUN_LOG_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define LOG_LINE_MAX 16384 /* Docker's copier buffer: a longer line is split into partial entries */

struct logger {
    int file;            /* the open <id>-json.log, appended to */
    const char *path;
    uint64_t max_size;   /* rotate once the file reached this many bytes; 0: never */
    int max_files;       /* files kept, the current one included (path, path.1, ... path.<max_files-1>) */
    uint64_t size;
    int tee[2];          /* the supervisor's own stdout/stderr to copy to (foreground), or -1 */
    char line[2][LOG_LINE_MAX];
    size_t used[2];
};

/* Opens the log for appending; on failure writes a reason to err and returns -1. */
int logger_open(struct logger *l, const char *path, uint64_t max_size, int max_files, int tee, char *err, size_t errlen);

/* Output of stream 0 (stdout) or 1 (stderr): copied to the tee at once, logged a line (or 16 KiB) at a time. */
void logger_write(struct logger *l, int stream, const char *buf, size_t n);

/* The stream ended: what is left becomes the last entry (Docker adds the newline). */
void logger_end(struct logger *l, int stream);

/* Copies the container's stdout and stderr pipes (-1: none) until both end, or the child has exited and they are drained. */
void logger_pump(struct logger *l, int out, int err, pid_t child);

#endif
