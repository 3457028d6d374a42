package dev.nvjrun.runtime.cgroup.v2;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import dev.nvjrun.runtime.spec.DeviceRule;
import dev.nvjrun.runtime.spec.DeviceType;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * cgroup v2 has no devices files: access is decided by an eBPF program of type CGROUP_DEVICE attached
 * to the group. This builds that program from the device rules (last matching rule wins, nothing
 * matched means deny, as after Docker's deny-all) and loads and attaches it with bpf(2).
 */
public final class DeviceProgram {
    private static final int SYS_BPF = 321;
    private static final int BPF_PROG_LOAD = 5;
    private static final int BPF_PROG_ATTACH = 8;
    private static final int BPF_PROG_TYPE_CGROUP_DEVICE = 15;
    private static final int BPF_CGROUP_DEVICE = 6;
    private static final int BPF_F_ALLOW_MULTI = 2;
    private static final int O_RDONLY_DIRECTORY_CLOEXEC = 0 | 0200000 | 02000000;
    private static final int DEV_BLOCK = 1;
    private static final int DEV_CHAR = 2;
    private static final int ACC_MKNOD = 1;
    private static final int ACC_READ = 2;
    private static final int ACC_WRITE = 4;

    private static final int LDX_MEM_W = 0x61;
    private static final int ALU32_AND_K = 0x54;
    private static final int ALU32_RSH_K = 0x74;
    private static final int ALU32_MOV_K = 0xb4;
    private static final int ALU32_MOV_X = 0xbc;
    private static final int JNE_K = 0x55;
    private static final int JNE_X = 0x5d;
    private static final int EXIT = 0x95;

    interface Kernel extends Library {
        Kernel INSTANCE = Native.load("c", Kernel.class);

        NativeLong syscall(NativeLong number, int cmd, Pointer attr, int size);

        int open(String path, int flags);

        int close(int fd);

        String strerror(int errno);
    }

    private DeviceProgram() {
    }

    private record Insn(int code, int dst, int src, int off, int imm) {
    }

    /** The program's instructions (struct bpf_insn[]). */
    public static byte[] build(List<DeviceRule> rules) {
        List<Insn> p = new ArrayList<>();
        // R1 is struct bpf_cgroup_dev_ctx { u32 access_type (access << 16 | type); u32 major; u32 minor; }.
        p.add(new Insn(LDX_MEM_W, 2, 1, 0, 0));
        p.add(new Insn(ALU32_AND_K, 2, 0, 0, 0xffff));
        p.add(new Insn(LDX_MEM_W, 3, 1, 0, 0));
        p.add(new Insn(ALU32_RSH_K, 3, 0, 0, 16));
        p.add(new Insn(LDX_MEM_W, 4, 1, 4, 0));
        p.add(new Insn(LDX_MEM_W, 5, 1, 8, 0));
        for (int i = rules.size() - 1; i >= 0; i--) {
            p.addAll(block(rules.get(i)));
        }
        p.add(new Insn(ALU32_MOV_K, 0, 0, 0, 0));
        p.add(new Insn(EXIT, 0, 0, 0, 0));
        ByteBuffer out = ByteBuffer.allocate(p.size() * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (Insn i : p) {
            out.put((byte) i.code()).put((byte) ((i.src() << 4) | i.dst())).putShort((short) i.off()).putInt(i.imm());
        }
        return out.array();
    }

    /** One rule: skip to the next block unless type, access, major and minor match; else return its verdict. */
    private static List<Insn> block(DeviceRule rule) {
        int access = (rule.access().contains("m") ? ACC_MKNOD : 0) | (rule.access().contains("r") ? ACC_READ : 0)
                | (rule.access().contains("w") ? ACC_WRITE : 0);
        List<Insn> checks = new ArrayList<>();
        checks.add(new Insn(JNE_K, 2, 0, 0, rule.type() == DeviceType.BLOCK ? DEV_BLOCK : DEV_CHAR));
        if (access != (ACC_MKNOD | ACC_READ | ACC_WRITE)) {
            // Requested access must be a subset of the rule's: (req & rule) == req.
            checks.add(new Insn(ALU32_MOV_X, 1, 3, 0, 0));
            checks.add(new Insn(ALU32_AND_K, 1, 0, 0, access));
            checks.add(new Insn(JNE_X, 1, 3, 0, 0));
        }
        if (rule.major() >= 0) {
            checks.add(new Insn(JNE_K, 4, 0, 0, rule.major()));
        }
        if (rule.minor() >= 0) {
            checks.add(new Insn(JNE_K, 5, 0, 0, rule.minor()));
        }
        List<Insn> block = new ArrayList<>();
        int total = checks.size() + 2;
        for (int i = 0; i < checks.size(); i++) {
            Insn c = checks.get(i);
            boolean jump = c.code() == JNE_K || c.code() == JNE_X;
            block.add(jump ? new Insn(c.code(), c.dst(), c.src(), total - i - 1, c.imm()) : c);
        }
        block.add(new Insn(ALU32_MOV_K, 0, 0, 0, rule.allow() ? 1 : 0));
        block.add(new Insn(EXIT, 0, 0, 0, 0));
        return block;
    }

    /** Loads the program and attaches it to {@code group}; the group keeps it alive and drops it on removal. */
    public static void attach(Path group, List<DeviceRule> rules) throws IOException {
        byte[] insns = build(rules);
        Kernel k = Kernel.INSTANCE;
        Memory code = new Memory(insns.length);
        code.write(0, insns, 0, insns.length);
        byte[] gpl = "Apache-2.0\0".getBytes(StandardCharsets.US_ASCII);
        Memory license = new Memory(gpl.length);
        license.write(0, gpl, 0, gpl.length);
        Memory log = new Memory(16384);
        log.clear();
        Memory load = new Memory(128);
        load.clear();
        load.setInt(0, BPF_PROG_TYPE_CGROUP_DEVICE);
        load.setInt(4, insns.length / 8);
        load.setLong(8, Pointer.nativeValue(code));
        load.setLong(16, Pointer.nativeValue(license));
        load.setInt(24, 1);
        load.setInt(28, (int) log.size());
        load.setLong(32, Pointer.nativeValue(log));
        int prog = k.syscall(new NativeLong(SYS_BPF), BPF_PROG_LOAD, load, (int) load.size()).intValue();
        if (prog < 0) {
            int errno = Native.getLastError();
            throw new IOException("load the eBPF device program for " + group + ": " + k.strerror(errno) + " " + log.getString(0).strip());
        }
        int dir = k.open(group.toString(), O_RDONLY_DIRECTORY_CLOEXEC);
        try {
            if (dir < 0) {
                throw new IOException("open " + group + ": " + k.strerror(Native.getLastError()));
            }
            Memory attach = new Memory(32);
            attach.clear();
            attach.setInt(0, dir);
            attach.setInt(4, prog);
            attach.setInt(8, BPF_CGROUP_DEVICE);
            attach.setInt(12, BPF_F_ALLOW_MULTI);
            if (k.syscall(new NativeLong(SYS_BPF), BPF_PROG_ATTACH, attach, (int) attach.size()).intValue() < 0) {
                throw new IOException("attach the eBPF device program to " + group + ": " + k.strerror(Native.getLastError()));
            }
        } finally {
            if (dir >= 0) {
                k.close(dir);
            }
            k.close(prog);
        }
    }
}
