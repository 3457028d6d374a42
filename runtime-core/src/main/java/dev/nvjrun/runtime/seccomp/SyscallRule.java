package dev.nvjrun.runtime.seccomp;

import dev.nvjrun.runtime.spec.Capability;

import java.util.List;

/**
 * The listed system calls meet {@code action} when every argument condition holds, like a rule of
 * Docker's profile: {@code onlyWith} (its "includes caps") limits the rule to containers holding that
 * capability, {@code onlyWithout} ("excludes caps") to containers lacking it; null means no such limit.
 */
public record SyscallRule(List<String> syscalls, SeccompAction action, List<ArgCondition> args, Capability onlyWith,
                          Capability onlyWithout) {
    public SyscallRule {
        syscalls = List.copyOf(syscalls);
        args = List.copyOf(args);
    }

    public static SyscallRule of(SeccompAction action, String... syscalls) {
        return new SyscallRule(List.of(syscalls), action, List.of(), null, null);
    }

    public static SyscallRule withCapability(Capability cap, String... syscalls) {
        return new SyscallRule(List.of(syscalls), SeccompAction.ALLOW, List.of(), cap, null);
    }

    boolean appliesTo(java.util.Set<Capability> granted) {
        return (onlyWith == null || granted.contains(onlyWith)) && (onlyWithout == null || !granted.contains(onlyWithout));
    }
}
