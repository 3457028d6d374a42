package dev.nvjrun.runtime.spec;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** Linux capabilities with their numbers (linux/capability.h). */
public enum Capability {
    CHOWN, DAC_OVERRIDE, DAC_READ_SEARCH, FOWNER, FSETID, KILL, SETGID, SETUID, SETPCAP, LINUX_IMMUTABLE,
    NET_BIND_SERVICE, NET_BROADCAST, NET_ADMIN, NET_RAW, IPC_LOCK, IPC_OWNER, SYS_MODULE, SYS_RAWIO, SYS_CHROOT,
    SYS_PTRACE, SYS_PACCT, SYS_ADMIN, SYS_BOOT, SYS_NICE, SYS_RESOURCE, SYS_TIME, SYS_TTY_CONFIG, MKNOD, LEASE,
    AUDIT_WRITE, AUDIT_CONTROL, SETFCAP, MAC_OVERRIDE, MAC_ADMIN, SYSLOG, WAKE_ALARM, BLOCK_SUSPEND, AUDIT_READ,
    PERFMON, BPF, CHECKPOINT_RESTORE;

    /** Docker's default set (moby oci/caps/defaults.go). */
    public static final Set<Capability> DOCKER_DEFAULT = Set.copyOf(EnumSet.of(CHOWN, DAC_OVERRIDE, FSETID, FOWNER,
            MKNOD, NET_RAW, SETGID, SETUID, SETFCAP, SETPCAP, NET_BIND_SERVICE, SYS_CHROOT, KILL, AUDIT_WRITE));

    public int number() {
        return ordinal();
    }

    /** Parses Docker's spelling: {@code NET_ADMIN}, {@code CAP_NET_ADMIN} or {@code net_admin}. */
    public static Optional<Capability> parse(String name) {
        String n = name.toUpperCase(Locale.ROOT);
        String bare = n.startsWith("CAP_") ? n.substring(4) : n;
        return Arrays.stream(values()).filter(c -> c.name().equals(bare)).findFirst();
    }
}
