package dev.nvjrun.runtime.spec;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Serialises a spec to the helper's wire format: a header line {@code NVJRUN-SPEC 1}, then records
 * {@code KEY <field count>\n} each followed by its fields as {@code <byte length>\n<bytes>\n}, ending
 * with {@code END 0}. Length prefixes let any byte (including newlines and the seccomp program) pass.
 */
public final class SpecWriter {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(4096);

    private SpecWriter() {
    }

    /**
     * @param cgroupDirs the groups whose cgroup.procs the container's first process joins
     * @param supervision stdio, detaching and state files of this run
     */
    public static byte[] write(ContainerSpec spec, List<Path> cgroupDirs, Supervision supervision) {
        SpecWriter w = new SpecWriter();
        w.raw("NVJRUN-SPEC 1\n".getBytes(StandardCharsets.US_ASCII));
        w.record("ROOTFS", spec.rootfs().toString());
        ProcessSpec p = spec.process();
        p.args().forEach(a -> w.record("ARG", a));
        p.env().forEach(e -> w.record("ENV", e));
        w.record("CWD", p.cwd());
        List<String> user = new ArrayList<>(List.of(Integer.toString(p.user().uid()), Integer.toString(p.user().gid())));
        p.user().additionalGids().forEach(g -> user.add(g.toString()));
        w.record("USER", user.toArray(String[]::new));
        for (Rlimit r : p.rlimits()) {
            w.record("RLIMIT", Integer.toString(r.type().number()), Long.toUnsignedString(r.soft()), Long.toUnsignedString(r.hard()));
        }
        if (p.init()) {
            w.record("INIT");
        }
        if (!spec.hostname().isEmpty()) {
            w.record("HOSTNAME", spec.hostname());
        }
        for (Namespace ns : Namespace.values()) {
            if (spec.namespaces().contains(ns)) {
                w.record("NAMESPACE", ns.wireName());
            }
        }
        if (spec.networkNamespace() != null) {
            w.record("NETNS", spec.networkNamespace().toString());
        }
        if (spec.namespaces().contains(Namespace.NETWORK)) {
            w.record("LOOPBACK_UP");
        }
        cgroupDirs.forEach(d -> w.record("CGROUP", d.toString()));
        for (Mount m : spec.mounts()) {
            w.record("MOUNT", m.source(), m.target(), m.type().equals("bind") ? "" : m.type(), Long.toString(m.flagBits()), m.data());
        }
        for (DeviceNode d : spec.devices()) {
            w.record("DEVICE", d.path(), String.valueOf(d.type().letter()), Integer.toString(d.major()), Integer.toString(d.minor()),
                    Integer.toString(d.mode()), Integer.toString(d.uid()), Integer.toString(d.gid()));
        }
        spec.symlinks().forEach(s -> w.record("SYMLINK", s.target(), s.link()));
        if (!spec.ldconfig().isEmpty()) {
            // LDCONFIG path args...: run by the container's process after its mounts, before pivot_root.
            w.record("LDCONFIG", spec.ldconfig().toArray(String[]::new));
        }
        spec.maskedPaths().forEach(m -> w.record("MASK", m));
        spec.readonlyPaths().forEach(r -> w.record("READONLY", r));
        if (spec.readonlyRootfs()) {
            w.record("READONLY_ROOTFS");
        }
        Security s = spec.security();
        long caps = s.capabilityBits();
        // Like Docker: a non-root user keeps the bounding set but starts with no effective capabilities.
        long granted = p.user().uid() == 0 ? caps : 0;
        w.record("CAPS", Long.toUnsignedString(caps), Long.toUnsignedString(granted), Long.toUnsignedString(granted), "0", "0");
        if (s.noNewPrivileges()) {
            w.record("NO_NEW_PRIVS");
        }
        byte[] filter = s.seccompFilter();
        if (filter.length > 0) {
            w.recordBytes("SECCOMP", filter);
        }
        if (supervision.stdin() != null || supervision.stdout() != null || supervision.stderr() != null) {
            w.record("STDIO", pathOrEmpty(supervision.stdin()), pathOrEmpty(supervision.stdout()), pathOrEmpty(supervision.stderr()));
        }
        if (supervision.pidsFile() != null && supervision.exitStatusFile() != null) {
            w.record("STATE", supervision.exitStatusFile().toString(), supervision.pidsFile().toString());
        }
        Terminal t = supervision.terminal();
        if (t != null) {
            w.record("TTY", Integer.toString(t.rows()), Integer.toString(t.cols()), t.interactive() ? "1" : "0");
        }
        if (supervision.removeAfterExit() != null) {
            w.record("AUTOREMOVE", supervision.removeAfterExit().toString(), supervision.removeLock().toString());
        }
        // LOG path maxSize maxFiles tee: the supervisor writes Docker's json-file log of the container's output
        // (tee: and copies it to its own stdout/stderr); EXIT_ARG, repeated: the argv it runs after the exit.
        JsonLog log = supervision.log();
        if (log != null) {
            w.record("LOG", log.file().toString(), Long.toString(log.maxSize()), Integer.toString(log.maxFiles()), log.tee() ? "1" : "0");
        }
        supervision.exitCommand().forEach(a -> w.record("EXIT_ARG", a));
        if (supervision.joinPid() > 0) {
            w.record("JOIN", Integer.toString(supervision.joinPid()));
        }
        if (supervision.detach()) {
            w.record("DETACH");
        }
        w.record("END");
        return w.out.toByteArray();
    }

    private static String pathOrEmpty(Path p) {
        return p == null ? "" : p.toString();
    }

    private void record(String key, String... fields) {
        byte[][] bytes = new byte[fields.length][];
        for (int i = 0; i < fields.length; i++) {
            if (fields[i].indexOf('\0') >= 0) {
                throw new IllegalArgumentException("spec value for " + key + " contains a NUL byte: '" + fields[i].replace('\0', '?') + "'");
            }
            bytes[i] = fields[i].getBytes(StandardCharsets.UTF_8);
        }
        recordBytes(key, bytes);
    }

    private void recordBytes(String key, byte[]... fields) {
        raw((key + " " + fields.length + "\n").getBytes(StandardCharsets.US_ASCII));
        for (byte[] f : fields) {
            raw((f.length + "\n").getBytes(StandardCharsets.US_ASCII));
            raw(f);
            raw(new byte[] {'\n'});
        }
    }

    private void raw(byte[] b) {
        out.writeBytes(b);
    }
}
