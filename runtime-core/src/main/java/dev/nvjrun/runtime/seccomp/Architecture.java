package dev.nvjrun.runtime.seccomp;

/**
 * The system call ABIs a seccomp program is compiled for: the audit architecture the kernel reports in
 * {@code seccomp_data.arch}, the table of call numbers, and whether calls can arrive through x86-64's
 * x32 ABI (numbers with bit 30 set), which Docker's profile refuses.
 */
public enum Architecture {
    X86_64(0xc000003e, "syscalls-x86_64.txt", true),
    AARCH64(0xc00000b7, "syscalls-aarch64.txt", false);

    private final int auditArch;
    private final String table;
    private final boolean hasX32;

    Architecture(int auditArch, String table, boolean hasX32) {
        this.auditArch = auditArch;
        this.table = table;
        this.hasX32 = hasX32;
    }

    /** The architecture this JVM runs on, as {@code os.arch} names it. */
    public static Architecture host() {
        return of(System.getProperty("os.arch"));
    }

    static Architecture of(String osArch) {
        return switch (osArch) {
            case "amd64", "x86_64" -> X86_64;
            case "aarch64", "arm64" -> AARCH64;
            default -> throw new IllegalArgumentException("seccomp filtering is not supported on " + osArch
                    + " (x86-64 and aarch64 are); run with --security-opt seccomp=unconfined");
        };
    }

    int auditArch() {
        return auditArch;
    }

    String table() {
        return table;
    }

    boolean hasX32() {
        return hasX32;
    }
}
