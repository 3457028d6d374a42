package dev.nvjrun.runtime.seccomp;

import dev.nvjrun.runtime.spec.Capability;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Compiles a {@link SeccompProfile} to a classic BPF program (array of {@code struct sock_filter}) for one
 * {@link Architecture}: calls of any other architecture are killed, x86-64's x32 calls get EPERM, then
 * each call with applicable rules gets a block that checks its argument conditions rule by rule;
 * everything else meets the default action.
 */
public final class SeccompCompiler {
    private static final int X32_SYSCALL_BIT = 0x40000000;
    private static final int LD_W_ABS = 0x20;
    private static final int ALU_AND_K = 0x54;
    private static final int JEQ_K = 0x15;
    private static final int JGE_K = 0x35;
    private static final int RET_K = 0x06;
    private static final int OFFSET_NR = 0;
    private static final int OFFSET_ARCH = 4;
    private static final int OFFSET_ARGS = 16;
    private static final int MAX_INSTRUCTIONS = 4096;

    /** An instruction whose jumps name labels (null: fall through) until {@link #assemble} resolves them. */
    private record Insn(int code, Integer jt, Integer jf, int k) {
    }

    private final List<Insn> insns = new ArrayList<>();
    private final Map<Integer, Integer> labels = new LinkedHashMap<>();
    private int nextLabel;

    private SeccompCompiler() {
    }

    /** The program for this host's architecture. */
    public static byte[] compile(SeccompProfile profile, Set<Capability> granted) {
        return compile(profile, granted, Architecture.host());
    }

    public static byte[] compile(SeccompProfile profile, Set<Capability> granted, Architecture architecture) {
        SyscallTable table = SyscallTable.of(architecture);
        Map<Integer, List<SyscallRule>> byCall = new LinkedHashMap<>();
        for (SyscallRule rule : profile.rules()) {
            if (!rule.appliesTo(granted)) {
                continue;
            }
            for (String name : rule.syscalls()) {
                OptionalInt nr = table.number(name);
                if (nr.isPresent()) {
                    byCall.computeIfAbsent(nr.getAsInt(), k -> new ArrayList<>()).add(rule);
                }
            }
        }
        SeccompCompiler c = new SeccompCompiler();
        int defaultAction = profile.defaultAction().returnValue();
        c.emit(LD_W_ABS, null, null, OFFSET_ARCH);
        int archOk = c.newLabel();
        c.emit(JEQ_K, archOk, null, architecture.auditArch());
        c.emit(RET_K, null, null, new SeccompAction.KillProcess().returnValue());
        c.mark(archOk);
        c.emit(LD_W_ABS, null, null, OFFSET_NR);
        if (architecture.hasX32()) {
            int native64 = c.newLabel();
            c.emit(JGE_K, null, native64, X32_SYSCALL_BIT);
            c.emit(RET_K, null, null, SeccompAction.EPERM.returnValue());
            c.mark(native64);
        }
        for (Map.Entry<Integer, List<SyscallRule>> e : byCall.entrySet()) {
            int next = c.newLabel();
            c.emit(JEQ_K, null, next, e.getKey());
            for (SyscallRule rule : e.getValue()) {
                int nextRule = c.newLabel();
                for (ArgCondition a : rule.args()) {
                    c.check(a, nextRule);
                }
                c.emit(RET_K, null, null, rule.action().returnValue());
                c.mark(nextRule);
                if (rule.args().isEmpty()) {
                    break; // an unconditional rule decides; later ones are unreachable
                }
            }
            c.emit(RET_K, null, null, defaultAction);
            c.mark(next);
        }
        c.emit(RET_K, null, null, defaultAction);
        return c.assemble();
    }

    /** Falls through when the condition holds, jumps to {@code fail} when it does not. */
    private void check(ArgCondition a, int fail) {
        int lo = OFFSET_ARGS + 8 * a.index();
        int hi = lo + 4;
        int valueHi = (int) (a.value() >>> 32);
        int valueLo = (int) a.value();
        switch (a.op()) {
            case EQUAL -> {
                emit(LD_W_ABS, null, null, hi);
                emit(JEQ_K, null, fail, valueHi);
                emit(LD_W_ABS, null, null, lo);
                emit(JEQ_K, null, fail, valueLo);
            }
            case NOT_EQUAL -> {
                int pass = newLabel();
                emit(LD_W_ABS, null, null, hi);
                emit(JEQ_K, null, pass, valueHi);
                emit(LD_W_ABS, null, null, lo);
                emit(JEQ_K, fail, null, valueLo);
                mark(pass);
            }
            case MASKED_EQUAL -> {
                emit(LD_W_ABS, null, null, hi);
                emit(ALU_AND_K, null, null, valueHi);
                emit(JEQ_K, null, fail, (int) (a.valueTwo() >>> 32));
                emit(LD_W_ABS, null, null, lo);
                emit(ALU_AND_K, null, null, valueLo);
                emit(JEQ_K, null, fail, (int) a.valueTwo());
            }
        }
    }

    private int newLabel() {
        return nextLabel++;
    }

    private void mark(int label) {
        labels.put(label, insns.size());
    }

    private void emit(int code, Integer jt, Integer jf, int k) {
        insns.add(new Insn(code, jt, jf, k));
    }

    private byte[] assemble() {
        if (insns.size() > MAX_INSTRUCTIONS) {
            throw new IllegalArgumentException("seccomp profile compiles to " + insns.size() + " instructions, more than the kernel's "
                    + MAX_INSTRUCTIONS + "; list fewer system calls or conditions");
        }
        ByteBuffer out = ByteBuffer.allocate(insns.size() * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < insns.size(); i++) {
            Insn in = insns.get(i);
            out.putShort((short) in.code()).put((byte) offset(i, in.jt())).put((byte) offset(i, in.jf())).putInt(in.k());
        }
        return out.array();
    }

    private int offset(int at, Integer label) {
        if (label == null) {
            return 0;
        }
        int distance = labels.get(label) - at - 1;
        if (distance < 0 || distance > 255) {
            throw new IllegalArgumentException("seccomp rule for one system call is too long to jump over (" + distance
                    + " instructions); split its conditions");
        }
        return distance;
    }
}
