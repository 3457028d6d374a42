/* The container spec as the helper receives it from Java; see README.md for the wire format. */
#ifndef NVJRUN_SPEC_H
#define NVJRUN_SPEC_H

#include <stddef.h>
#include <stdint.h>

#define MAX_ITEMS 512
#define MAX_FIELDS 16 /* per record; also the most words an LDCONFIG command has */

struct mount_entry { char *source, *target, *fstype, *data; unsigned long flags; };
struct device_entry { char *path; char type; unsigned major, minor, mode, uid, gid; };
struct symlink_entry { char *target, *link; };
struct rlimit_entry { int resource; uint64_t soft, hard; };

struct spec {
    char *rootfs, *cwd, *hostname, *stdio[3], *exit_file, *pid_file, *remove_dir, *remove_lock;
    char *argv[MAX_ITEMS + 1]; int argc;
    char *envp[MAX_ITEMS + 1]; int envc;
    char *cgroups[MAX_ITEMS]; int ncgroups;
    int ns_flags;
    struct mount_entry mounts[MAX_ITEMS]; int nmounts;
    struct device_entry devices[MAX_ITEMS]; int ndevices;
    struct symlink_entry symlinks[MAX_ITEMS]; int nsymlinks;
    char *masked[MAX_ITEMS]; int nmasked;
    char *readonly[MAX_ITEMS]; int nreadonly;
    struct rlimit_entry rlimits[64]; int nrlimits;
    uint32_t uid, gid; uint32_t groups[64]; int ngroups;
    uint64_t cap_bounding, cap_effective, cap_permitted, cap_inheritable, cap_ambient;
    int no_new_privs, readonly_rootfs, init, detach, loopback_up;
    int tty, tty_interactive; unsigned tty_rows, tty_cols;
    char *netns; /* join this network namespace file instead of creating one (bridge networking) */
    int join_pid; /* exec: enter the namespaces of this running container process instead of creating new ones */
    char *log_path; uint64_t log_max_size; int log_max_files, log_tee; /* json-file log of stdout/stderr */
    char *exit_argv[65]; int exit_argc; /* run after the container exited, before AUTOREMOVE (which it replaces when it succeeds) */
    unsigned char *seccomp; size_t seccomp_len;
    char *ldconfig_argv[MAX_FIELDS + 1]; int ldconfig_argc; /* the host's ldconfig, run over the root after the mounts */
};

/* Parses the whole spec in buf (len bytes); on failure writes a reason to err and returns -1. */
int spec_parse(char *buf, size_t len, struct spec *s, char *err, size_t errlen);

#endif
