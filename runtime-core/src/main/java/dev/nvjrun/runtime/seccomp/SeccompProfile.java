package dev.nvjrun.runtime.seccomp;

import dev.nvjrun.runtime.spec.Capability;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A seccomp policy: rules (a call's first applicable rule whose argument conditions hold
 * decides), then the default action for every other call. Rules may name calls this architecture
 * lacks (x86's arch_prctl on aarch64); the compiler skips them.
 */
public record SeccompProfile(List<SyscallRule> rules, SeccompAction defaultAction) {
    private static final int AF_VSOCK = 40;
    /** CLONE_NEWNS | CLONE_NEWCGROUP | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET. */
    private static final long CLONE_NAMESPACE_FLAGS = 0x7E020000L;

    public SeccompProfile {
        rules = List.copyOf(rules);
    }

    /**
     * Docker's default profile (moby profiles/seccomp/default.json) for x86-64 and aarch64: its
     * architecture-specific allowances (arch_prctl, modify_ldt) name calls aarch64 does not have.
     */
    public static SeccompProfile dockerDefault() {
        List<SyscallRule> r = new ArrayList<>();
        r.add(new SyscallRule(bundledAllowList(), SeccompAction.ALLOW, List.of(), null, null));
        r.add(SyscallRule.of(SeccompAction.ALLOW, "process_vm_readv", "process_vm_writev", "ptrace", "arch_prctl", "modify_ldt"));
        r.add(new SyscallRule(List.of("socket"), SeccompAction.ALLOW,
                List.of(new ArgCondition(0, ArgCondition.Op.NOT_EQUAL, AF_VSOCK, 0)), null, null));
        for (long persona : new long[] {0, 8, 0x20000, 0x20008, 0xffffffffL}) {
            r.add(new SyscallRule(List.of("personality"), SeccompAction.ALLOW, List.of(ArgCondition.equal(0, persona)), null, null));
        }
        r.add(SyscallRule.withCapability(Capability.DAC_READ_SEARCH, "open_by_handle_at"));
        r.add(SyscallRule.withCapability(Capability.SYS_ADMIN, "bpf", "clone", "clone3", "fanotify_init", "fsconfig", "fsmount",
                "fsopen", "fspick", "lookup_dcookie", "mount", "mount_setattr", "move_mount", "open_tree", "perf_event_open",
                "quotactl", "quotactl_fd", "setdomainname", "sethostname", "setns", "syslog", "umount", "umount2", "unshare"));
        r.add(new SyscallRule(List.of("clone"), SeccompAction.ALLOW,
                List.of(new ArgCondition(0, ArgCondition.Op.MASKED_EQUAL, CLONE_NAMESPACE_FLAGS, 0)), null, Capability.SYS_ADMIN));
        // ENOSYS, not EPERM, so that libc falls back to clone, which the rule above can inspect.
        r.add(new SyscallRule(List.of("clone3"), SeccompAction.ENOSYS, List.of(), null, Capability.SYS_ADMIN));
        r.add(SyscallRule.withCapability(Capability.SYS_BOOT, "reboot"));
        r.add(SyscallRule.withCapability(Capability.SYS_CHROOT, "chroot"));
        r.add(SyscallRule.withCapability(Capability.SYS_MODULE, "delete_module", "init_module", "finit_module"));
        r.add(SyscallRule.withCapability(Capability.SYS_PACCT, "acct"));
        r.add(SyscallRule.withCapability(Capability.SYS_PTRACE, "kcmp", "pidfd_getfd", "process_madvise", "process_vm_readv",
                "process_vm_writev", "ptrace"));
        r.add(SyscallRule.withCapability(Capability.SYS_RAWIO, "iopl", "ioperm"));
        r.add(SyscallRule.withCapability(Capability.SYS_TIME, "settimeofday", "stime", "clock_settime", "clock_settime64"));
        r.add(SyscallRule.withCapability(Capability.SYS_TTY_CONFIG, "vhangup"));
        r.add(SyscallRule.withCapability(Capability.SYS_NICE, "get_mempolicy", "mbind", "set_mempolicy", "set_mempolicy_home_node"));
        r.add(SyscallRule.withCapability(Capability.SYSLOG, "syslog"));
        r.add(SyscallRule.withCapability(Capability.BPF, "bpf"));
        r.add(SyscallRule.withCapability(Capability.PERFMON, "perf_event_open"));
        return new SeccompProfile(r, SeccompAction.EPERM);
    }

    private static List<String> bundledAllowList() {
        try (InputStream in = SeccompProfile.class.getResourceAsStream("docker-default-allow.txt")) {
            if (in == null) {
                throw new IllegalStateException("Docker's default seccomp allow-list is missing from the runtime-core jar; rebuild it");
            }
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII).lines().filter(l -> !l.startsWith("#"))
                    .flatMap(l -> Arrays.stream(l.trim().split("\\s+"))).filter(s -> !s.isEmpty()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
