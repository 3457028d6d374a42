/* Parser of the length-prefixed spec format written by dev.nvjrun.runtime.spec.SpecWriter. */
#define _GNU_SOURCE
#include "spec.h"

#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct cursor { char *p, *end; };

static int read_number(struct cursor *c, char stop, unsigned long long *out)
{
    unsigned long long v = 0;
    int digits = 0;
    while (c->p < c->end && *c->p >= '0' && *c->p <= '9') {
        v = v * 10 + (unsigned long long)(*c->p - '0');
        c->p++;
        digits++;
    }
    if (!digits || digits > 19 || c->p >= c->end || *c->p != stop) return -1;
    c->p++;
    *out = v;
    return 0;
}

static unsigned long long num(const char *s)
{
    return strtoull(s, NULL, 10);
}

static int namespace_flag(const char *name)
{
    if (!strcmp(name, "mount")) return CLONE_NEWNS;
    if (!strcmp(name, "pid")) return CLONE_NEWPID;
    if (!strcmp(name, "uts")) return CLONE_NEWUTS;
    if (!strcmp(name, "ipc")) return CLONE_NEWIPC;
    if (!strcmp(name, "network")) return CLONE_NEWNET;
    if (!strcmp(name, "cgroup")) return CLONE_NEWCGROUP;
    return 0;
}

#define NEED(n) do { if (nf != (n)) { snprintf(err, errlen, "spec record %s has %d fields, expected %d", key, nf, (n)); return -1; } } while (0)
#define ROOM(count, cap) do { if ((count) >= (cap)) { snprintf(err, errlen, "spec has too many %s records (limit %d)", key, (int)(cap)); return -1; } } while (0)

int spec_parse(char *buf, size_t len, struct spec *s, char *err, size_t errlen)
{
    static const char magic[] = "NVJRUN-SPEC 1\n";
    struct cursor c = { buf, buf + len };
    memset(s, 0, sizeof *s);
    if (len < sizeof magic - 1 || memcmp(buf, magic, sizeof magic - 1)) {
        snprintf(err, errlen, "spec does not start with the header 'NVJRUN-SPEC 1'");
        return -1;
    }
    c.p += sizeof magic - 1;
    for (;;) {
        char *key = c.p, *f[MAX_FIELDS];
        size_t flen[MAX_FIELDS];
        unsigned long long n;
        int nf;
        while (c.p < c.end && *c.p != ' ' && *c.p != '\n') c.p++;
        if (c.p >= c.end || *c.p != ' ') { snprintf(err, errlen, "spec is truncated or malformed near byte %ld", (long)(key - buf)); return -1; }
        *c.p++ = '\0';
        if (read_number(&c, '\n', &n) || n > MAX_FIELDS) { snprintf(err, errlen, "spec record %s has a bad field count", key); return -1; }
        nf = (int)n;
        for (int i = 0; i < nf; i++) {
            unsigned long long l;
            if (read_number(&c, '\n', &l) || l > (unsigned long long)(c.end - c.p) - 1 || c.p[l] != '\n') {
                snprintf(err, errlen, "spec record %s has a truncated field %d", key, i);
                return -1;
            }
            f[i] = c.p;
            flen[i] = l;
            c.p[l] = '\0';
            c.p += l + 1;
        }
        if (!strcmp(key, "END")) break;
        else if (!strcmp(key, "ROOTFS")) { NEED(1); s->rootfs = f[0]; }
        else if (!strcmp(key, "CWD")) { NEED(1); s->cwd = f[0]; }
        else if (!strcmp(key, "HOSTNAME")) { NEED(1); s->hostname = f[0]; }
        else if (!strcmp(key, "ARG")) { NEED(1); ROOM(s->argc, MAX_ITEMS); s->argv[s->argc++] = f[0]; }
        else if (!strcmp(key, "ENV")) { NEED(1); ROOM(s->envc, MAX_ITEMS); s->envp[s->envc++] = f[0]; }
        else if (!strcmp(key, "CGROUP")) { NEED(1); ROOM(s->ncgroups, MAX_ITEMS); s->cgroups[s->ncgroups++] = f[0]; }
        else if (!strcmp(key, "NAMESPACE")) {
            NEED(1);
            int flag = namespace_flag(f[0]);
            if (!flag) { snprintf(err, errlen, "spec names an unknown namespace '%s'", f[0]); return -1; }
            s->ns_flags |= flag;
        }
        else if (!strcmp(key, "MOUNT")) {
            NEED(5); ROOM(s->nmounts, MAX_ITEMS);
            struct mount_entry *m = &s->mounts[s->nmounts++];
            m->source = f[0]; m->target = f[1]; m->fstype = f[2]; m->flags = num(f[3]); m->data = f[4];
        }
        else if (!strcmp(key, "DEVICE")) {
            NEED(7); ROOM(s->ndevices, MAX_ITEMS);
            struct device_entry *d = &s->devices[s->ndevices++];
            d->path = f[0]; d->type = f[1][0]; d->major = num(f[2]); d->minor = num(f[3]);
            d->mode = num(f[4]); d->uid = num(f[5]); d->gid = num(f[6]);
        }
        else if (!strcmp(key, "SYMLINK")) {
            NEED(2); ROOM(s->nsymlinks, MAX_ITEMS);
            s->symlinks[s->nsymlinks].target = f[0]; s->symlinks[s->nsymlinks++].link = f[1];
        }
        else if (!strcmp(key, "MASK")) { NEED(1); ROOM(s->nmasked, MAX_ITEMS); s->masked[s->nmasked++] = f[0]; }
        else if (!strcmp(key, "READONLY")) { NEED(1); ROOM(s->nreadonly, MAX_ITEMS); s->readonly[s->nreadonly++] = f[0]; }
        else if (!strcmp(key, "RLIMIT")) {
            NEED(3); ROOM(s->nrlimits, 64);
            struct rlimit_entry *r = &s->rlimits[s->nrlimits++];
            r->resource = (int)num(f[0]); r->soft = num(f[1]); r->hard = num(f[2]);
        }
        else if (!strcmp(key, "USER")) {
            if (nf < 2 || nf - 2 > 64) { snprintf(err, errlen, "spec record USER needs uid, gid and at most 64 groups"); return -1; }
            s->uid = (uint32_t)num(f[0]); s->gid = (uint32_t)num(f[1]);
            for (int i = 2; i < nf; i++) s->groups[s->ngroups++] = (uint32_t)num(f[i]);
        }
        else if (!strcmp(key, "CAPS")) {
            NEED(5);
            s->cap_bounding = num(f[0]); s->cap_effective = num(f[1]); s->cap_permitted = num(f[2]);
            s->cap_inheritable = num(f[3]); s->cap_ambient = num(f[4]);
        }
        else if (!strcmp(key, "SECCOMP")) { NEED(1); s->seccomp = (unsigned char *)f[0]; s->seccomp_len = flen[0]; }
        else if (!strcmp(key, "NO_NEW_PRIVS")) { NEED(0); s->no_new_privs = 1; }
        else if (!strcmp(key, "READONLY_ROOTFS")) { NEED(0); s->readonly_rootfs = 1; }
        else if (!strcmp(key, "LOOPBACK_UP")) { NEED(0); s->loopback_up = 1; }
        else if (!strcmp(key, "TTY")) { NEED(3); s->tty = 1; s->tty_rows = (unsigned)num(f[0]); s->tty_cols = (unsigned)num(f[1]); s->tty_interactive = f[2][0] == '1'; }
        else if (!strcmp(key, "AUTOREMOVE")) { NEED(2); s->remove_dir = f[0]; s->remove_lock = f[1]; }
        else if (!strcmp(key, "NETNS")) { NEED(1); s->netns = f[0]; }
        else if (!strcmp(key, "JOIN")) { NEED(1); s->join_pid = (int)num(f[0]); }
        /* LOG path, max size (0: never rotate), max files, tee (1: also copy to the supervisor's stdout/stderr) */
        else if (!strcmp(key, "LOG")) {
            NEED(4); s->log_path = f[0]; s->log_max_size = num(f[1]); s->log_max_files = (int)num(f[2]); s->log_tee = f[3][0] == '1';
        }
        /* EXIT_ARG value, repeated: argv of the command run after the exit (nvjrun's clean-up) */
        else if (!strcmp(key, "EXIT_ARG")) { NEED(1); ROOM(s->exit_argc, 64); s->exit_argv[s->exit_argc++] = f[0]; }
        /* LDCONFIG path, args...: argv of the host's ldconfig, run inside the container's mount namespace after the mounts */
        else if (!strcmp(key, "LDCONFIG")) {
            if (nf < 1 || f[0][0] != '/') { snprintf(err, errlen, "spec record LDCONFIG needs an absolute path first"); return -1; }
            for (int i = 0; i < nf; i++) s->ldconfig_argv[i] = f[i];
            s->ldconfig_argv[nf] = NULL;
            s->ldconfig_argc = nf;
        }
        else if (!strcmp(key, "INIT")) { NEED(0); s->init = 1; }
        else if (!strcmp(key, "DETACH")) { NEED(0); s->detach = 1; }
        else if (!strcmp(key, "STDIO")) { NEED(3); s->stdio[0] = f[0]; s->stdio[1] = f[1]; s->stdio[2] = f[2]; }
        else if (!strcmp(key, "STATE")) { NEED(2); s->exit_file = f[0]; s->pid_file = f[1]; }
        else { snprintf(err, errlen, "spec has an unknown record '%s'", key); return -1; }
    }
    if (!s->rootfs || s->argc == 0) {
        snprintf(err, errlen, "spec lacks a ROOTFS or an ARG record");
        return -1;
    }
    return 0;
}
