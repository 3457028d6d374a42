package dev.nvjrun.runtime.seccomp;

import dev.nvjrun.runtime.spec.Capability;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SeccompCompilerTest {
    private static final int ALLOW = 0x7fff0000;
    private static final int EPERM = 0x00050001;

    private record Insn(int code, int jt, int jf, int k) {
    }

    private static List<Insn> decode(byte[] program) {
        ByteBuffer b = ByteBuffer.wrap(program).order(ByteOrder.LITTLE_ENDIAN);
        List<Insn> out = new ArrayList<>();
        while (b.hasRemaining()) {
            out.add(new Insn(b.getShort() & 0xffff, b.get() & 0xff, b.get() & 0xff, b.getInt()));
        }
        return out;
    }

    /** A tiny interpreter of the compiled program, enough to ask what a call with given arguments meets. */
    private static int run(byte[] program, int arch, int nr, long... args) {
        List<Insn> p = decode(program);
        ByteBuffer data = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
        data.putInt(0, nr).putInt(4, arch);
        for (int i = 0; i < args.length; i++) {
            data.putLong(16 + 8 * i, args[i]);
        }
        int acc = 0;
        for (int pc = 0; pc < p.size(); pc++) {
            Insn in = p.get(pc);
            switch (in.code()) {
                case 0x20 -> acc = data.getInt(in.k());
                case 0x54 -> acc &= in.k();
                case 0x15 -> pc += acc == in.k() ? in.jt() : in.jf();
                case 0x35 -> pc += Integer.compareUnsigned(acc, in.k()) >= 0 ? in.jt() : in.jf();
                case 0x06 -> {
                    return in.k();
                }
                default -> throw new AssertionError("unexpected opcode " + in.code());
            }
        }
        throw new AssertionError("program fell off its end");
    }

    private static final int X86_64 = 0xc000003e;

    @Test
    void killsOtherArchitecturesAndRefusesX32Calls() {
        byte[] p = SeccompCompiler.compile(new SeccompProfile(List.of(), SeccompAction.ALLOW), Set.of(), Architecture.X86_64);
        assertEquals(0x80000000, run(p, 0x40000003, 1));
        assertEquals(EPERM, run(p, X86_64, 0x40000000 + 1));
        assertEquals(ALLOW, run(p, X86_64, 1));
    }

    @Test
    void dockerDefaultAllowsTheListAndRefusesTheRest() {
        byte[] p = SeccompCompiler.compile(SeccompProfile.dockerDefault(), Capability.DOCKER_DEFAULT, Architecture.X86_64);
        assertEquals(ALLOW, run(p, X86_64, 0));          // read
        assertEquals(ALLOW, run(p, X86_64, 59));         // execve
        assertEquals(EPERM, run(p, X86_64, 165));        // mount
        assertEquals(EPERM, run(p, X86_64, 250));        // keyctl
        assertEquals(0x00050000 | 38, run(p, X86_64, 435)); // clone3 -> ENOSYS
        assertEquals(ALLOW, run(p, X86_64, 161));        // chroot, with CAP_SYS_CHROOT
    }

    @Test
    void argumentConditionsDecideCloneSocketAndPersonality() {
        byte[] p = SeccompCompiler.compile(SeccompProfile.dockerDefault(), Capability.DOCKER_DEFAULT, Architecture.X86_64);
        assertEquals(ALLOW, run(p, X86_64, 56, 0x11L /* SIGCHLD | CLONE_CHILD_SETTID-like */));
        assertEquals(EPERM, run(p, X86_64, 56, 0x20000000L /* CLONE_NEWPID */));
        assertEquals(ALLOW, run(p, X86_64, 41, 2 /* AF_INET */));
        assertEquals(EPERM, run(p, X86_64, 41, 40 /* AF_VSOCK */));
        assertEquals(ALLOW, run(p, X86_64, 135, 0xffffffffL));
        assertEquals(EPERM, run(p, X86_64, 135, 0x0040000L /* ADDR_NO_RANDOMIZE */));
        assertEquals(EPERM, run(p, X86_64, 135, 0x1_0000_0000L));
    }

    @Test
    void capabilitiesUnlockTheirCalls() {
        EnumSet<Capability> admin = EnumSet.copyOf(Capability.DOCKER_DEFAULT);
        admin.add(Capability.SYS_ADMIN);
        byte[] p = SeccompCompiler.compile(SeccompProfile.dockerDefault(), admin, Architecture.X86_64);
        assertEquals(ALLOW, run(p, X86_64, 165));
        assertEquals(ALLOW, run(p, X86_64, 56, 0x20000000L));
        assertEquals(ALLOW, run(p, X86_64, 435));
        EnumSet<Capability> noChroot = EnumSet.copyOf(Capability.DOCKER_DEFAULT);
        noChroot.remove(Capability.SYS_CHROOT);
        assertEquals(EPERM, run(SeccompCompiler.compile(SeccompProfile.dockerDefault(), noChroot, Architecture.X86_64), X86_64, 161));
    }

    @Test
    void skipsCallsThisArchitectureLacks() {
        SeccompProfile p = new SeccompProfile(List.of(SyscallRule.of(SeccompAction.EPERM, "chown32", "frobnicate")), SeccompAction.ALLOW);
        assertEquals(decode(SeccompCompiler.compile(new SeccompProfile(List.of(), SeccompAction.ALLOW), Set.of(), Architecture.X86_64)),
                decode(SeccompCompiler.compile(p, Set.of(), Architecture.X86_64)));
    }

    @Test
    void refusesErrnoOutOfRangeAndBadArgumentIndex() {
        assertThrows(IllegalArgumentException.class, () -> new SeccompAction.Errno(0));
        assertThrows(IllegalArgumentException.class, () -> ArgCondition.equal(6, 0));
        assertFalse(SyscallTable.of(Architecture.X86_64).number("frobnicate").isPresent());
        assertTrue(SyscallTable.of(Architecture.X86_64).number("openat2").isPresent());
    }

    private static final int AARCH64 = 0xc00000b7;

    @Test
    void aarch64UsesItsOwnNumbersAndHasNoX32() {
        SyscallTable arm = SyscallTable.of(Architecture.AARCH64);
        assertEquals(63, arm.number("read").getAsInt());
        assertEquals(221, arm.number("execve").getAsInt());
        assertEquals(79, arm.number("newfstatat").getAsInt());
        assertEquals(435, arm.number("clone3").getAsInt());
        assertFalse(arm.number("open").isPresent(), "aarch64 has only openat");
        assertFalse(arm.number("arch_prctl").isPresent());

        byte[] p = SeccompCompiler.compile(SeccompProfile.dockerDefault(), Capability.DOCKER_DEFAULT, Architecture.AARCH64);
        assertEquals(0x80000000, run(p, X86_64, 0), "an x86-64 call is killed by an aarch64 filter");
        assertEquals(ALLOW, run(p, AARCH64, 63));        // read
        assertEquals(ALLOW, run(p, AARCH64, 221));       // execve
        assertEquals(EPERM, run(p, AARCH64, 40));        // mount
        assertEquals(EPERM, run(p, AARCH64, 219));       // keyctl
        assertEquals(0x00050000 | 38, run(p, AARCH64, 435)); // clone3 -> ENOSYS
        assertEquals(EPERM, run(p, AARCH64, 220, 0x20000000L /* clone with CLONE_NEWPID */));
        assertEquals(ALLOW, run(p, AARCH64, 220, 0x11L));
        assertEquals(EPERM, run(p, AARCH64, 198, 40 /* socket(AF_VSOCK) */));
        byte[] open = SeccompCompiler.compile(new SeccompProfile(List.of(), SeccompAction.ALLOW), Set.of(), Architecture.AARCH64);
        assertEquals(ALLOW, run(open, AARCH64, 0x40000000 + 63), "no x32 range on aarch64: such a number meets the default action");
    }

    @Test
    void theHostsArchitectureIsNamedOrRefusedWithAWayOut() {
        assertEquals(Architecture.X86_64, Architecture.of("amd64"));
        assertEquals(Architecture.AARCH64, Architecture.of("aarch64"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Architecture.of("riscv64"));
        assertTrue(e.getMessage().contains("seccomp=unconfined"), e.getMessage());
    }
}
