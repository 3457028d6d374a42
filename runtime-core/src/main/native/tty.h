/* The container's terminal (-t): a pty from the container's own devpts, proxied by the supervisor. */
#ifndef NVJRUN_TTY_H
#define NVJRUN_TTY_H

#include <stddef.h>
#include <sys/types.h>

/* In the container, before exec: opens a pty, sends its master over sock, makes the slave stdio and ctty. */
int tty_attach_container(int sock, unsigned rows, unsigned cols, char *err, size_t errlen);

/* In the supervisor: receives the master fd sent over sock, or -1. */
int tty_receive_master(int sock);

struct logger;

/* Copies stdin to the master (when interactive) and the master to stdout, or to the log as its stdout stream
   when log is not NULL, until the container side closes. */
void tty_proxy(int master, int interactive, unsigned rows, unsigned cols, struct logger *log);

#endif
