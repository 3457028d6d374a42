package dev.nvjrun.runtime.spec;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;

/**
 * Privileges of the container's process: its capabilities (bounding, effective and permitted alike),
 * no_new_privs, and a seccomp program as raw {@code struct sock_filter} bytes (empty for unconfined).
 */
public record Security(Set<Capability> capabilities, boolean noNewPrivileges, byte[] seccompFilter) {
    public Security {
        capabilities = capabilities.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(capabilities));
        seccompFilter = seccompFilter.clone();
        if (seccompFilter.length % 8 != 0) {
            throw new IllegalArgumentException("a seccomp program is a whole number of 8-byte instructions, not " + seccompFilter.length + " bytes");
        }
    }

    @Override
    public byte[] seccompFilter() {
        return seccompFilter.clone();
    }

    public long capabilityBits() {
        return capabilities.stream().mapToLong(c -> 1L << c.number()).reduce(0, (a, b) -> a | b);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Security s && s.capabilities.equals(capabilities) && s.noNewPrivileges == noNewPrivileges
                && Arrays.equals(s.seccompFilter, seccompFilter);
    }

    @Override
    public int hashCode() {
        return capabilities.hashCode() * 31 + Arrays.hashCode(seccompFilter) + (noNewPrivileges ? 1 : 0);
    }

    @Override
    public String toString() {
        return "Security[capabilities=" + capabilities + ", noNewPrivileges=" + noNewPrivileges
                + ", seccomp=" + seccompFilter.length / 8 + " instructions]";
    }
}
