package dev.nvjrun.runtime.json;

import dev.nvjrun.runtime.container.ContainerState;
import dev.nvjrun.runtime.container.ContainerStatus;
import dev.nvjrun.runtime.container.LogConfig;
import dev.nvjrun.runtime.spec.Capability;
import dev.nvjrun.runtime.spec.CgroupResources;
import dev.nvjrun.runtime.spec.ContainerSpec;
import dev.nvjrun.runtime.spec.DeviceNode;
import dev.nvjrun.runtime.spec.DeviceRule;
import dev.nvjrun.runtime.spec.DeviceType;
import dev.nvjrun.runtime.spec.Mount;
import dev.nvjrun.runtime.spec.MountFlag;
import dev.nvjrun.runtime.spec.Namespace;
import dev.nvjrun.runtime.spec.ProcessSpec;
import dev.nvjrun.runtime.spec.Rlimit;
import dev.nvjrun.runtime.spec.RlimitType;
import dev.nvjrun.runtime.spec.Security;
import dev.nvjrun.runtime.spec.Symlink;
import dev.nvjrun.runtime.spec.User;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A container state with every field of the state and its whole spec set to something other than the
 * default, the same values the fixture {@code json/databind-0444368/state-everything.json} was written
 * from by the data-binding code (commit 0444368) that the streaming codec replaced.
 */
public final class EverythingState {
    private EverythingState() {
    }

    public static ContainerState state() {
        byte[] seccomp = new byte[24];
        for (int i = 0; i < seccomp.length; i++) {
            seccomp[i] = (byte) (i * 11 + 3);
        }
        ContainerSpec spec = new ContainerSpec(Path.of("/var/lib/nvjrun/rootfs/overlay/0123abcd"),
                new ProcessSpec(List.of("/bin/sh", "-c", "echo \"hi\"\n\u00e9"), List.of("PATH=/bin", "A=b=c"), "/work",
                        new User(1000, 100, List.of(10, 20)),
                        List.of(new Rlimit(RlimitType.NOFILE, 1024, 4096), new Rlimit(RlimitType.NPROC, 1, 2)), true),
                "box-host", EnumSet.of(Namespace.MOUNT, Namespace.PID, Namespace.UTS, Namespace.IPC, Namespace.CGROUP),
                List.of(new Mount("tmpfs", "/dev", "tmpfs", EnumSet.of(MountFlag.NOSUID, MountFlag.STRICTATIME), "mode=755,size=65536k"),
                        Mount.bind("/host/data", "/data", true)),
                List.of(new DeviceNode("/dev/nvidia1", DeviceType.CHAR, 195, 1, 0660, 1, 2),
                        new DeviceNode("/dev/sda1", DeviceType.BLOCK, 8, 1, 0600, 3, 6)),
                List.of(new Symlink("/proc/self/fd", "/dev/fd")),
                List.of("/proc/kcore", "/sys/firmware"), List.of("/proc/sys"), true,
                new CgroupResources(1L << 30, 2L << 30, 50000L, 100000L, 512L, "0-1", "0", 100L, 500,
                        List.of(new DeviceRule(false, DeviceType.CHAR, -1, -1, "rwm"), new DeviceRule(true, DeviceType.BLOCK, 8, 1, "rw"))),
                new Security(EnumSet.of(Capability.CHOWN, Capability.NET_ADMIN, Capability.SYS_ADMIN), true, seccomp),
                Path.of("/run/netns/nvjrun-abc"),
                List.of("/sbin/ldconfig", "-r", "/var/lib/nvjrun/rootfs/overlay/0123abcd", "/usr/local/nvidia/lib64"));
        return new ContainerState("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "everything",
                ContainerStatus.EXITED, 4242, 4243, 137, true, "killed by the OOM killer", "2026-11-22T04:00:00Z",
                "2026-11-22T04:00:01.5Z", "2026-11-22T04:00:02Z", new TreeMap<>(Map.of("com.example.a", "1", "b", "two words")),
                "SIGKILL", 7, true, spec, new LogConfig(LogConfig.JSON_FILE_DRIVER, 10L << 20, 3));
    }

    /**
     * {@link #state()} as the fixtures hold it: written before the log configuration and the spec's ldconfig
     * command existed (absent: the default, and none).
     */
    public static ContainerState asWrittenBeforeLogConfig() {
        ContainerState s = state();
        return new ContainerState(s.id(), s.name(), s.status(), s.supervisorPid(), s.pid(), s.exitCode(), s.oomKilled(), s.error(),
                s.created(), s.started(), s.finished(), s.labels(), s.stopSignal(), s.stopTimeoutSeconds(), s.autoRemove(),
                s.spec().withLdconfig(List.of()), null);
    }

    public static byte[] fixture(String name) throws IOException {
        try (InputStream in = EverythingState.class.getResourceAsStream("/json/databind-0444368/" + name)) {
            assertNotNull(in, "test resource json/databind-0444368/" + name);
            return in.readAllBytes();
        }
    }

    /**
     * Fails when a component anywhere in the record tree holds its default (null, 0, false, empty), so a
     * component added later that the fixture does not set breaks the round-trip test until it does. Enums
     * may hold any constant; a component of a list's records counts as set when one element sets it.
     */
    public static void assertEveryComponentSet(Object record, String path) {
        Set<String> unset = unset(record, path);
        assertTrue(unset.isEmpty(), "left at their defaults: " + unset);
    }

    private static Set<String> unset(Object record, String path) {
        Set<String> unset = new TreeSet<>();
        for (RecordComponent c : record.getClass().getRecordComponents()) {
            Object value;
            try {
                c.getAccessor().setAccessible(true);
                value = c.getAccessor().invoke(record);
            } catch (ReflectiveOperationException e) {
                throw new AssertionError(e);
            }
            String where = path + "." + c.getName();
            boolean isDefault = switch (value) {
                case null -> true;
                case Number n -> n.longValue() == 0;
                case Boolean b -> !b;
                case String s -> s.isEmpty();
                case byte[] bytes -> bytes.length == 0;
                case Map<?, ?> map -> map.isEmpty();
                case Collection<?> values -> {
                    Set<String> inEvery = null;
                    for (Object v : values) {
                        if (v.getClass().isRecord()) {
                            Set<String> here = unset(v, where + "[]");
                            if (inEvery == null) {
                                inEvery = here;
                            } else {
                                inEvery.retainAll(here);
                            }
                        }
                    }
                    if (inEvery != null) {
                        unset.addAll(inEvery);
                    }
                    yield values.isEmpty();
                }
                default -> {
                    if (value.getClass().isRecord()) {
                        unset.addAll(unset(value, where));
                    }
                    yield false;
                }
            };
            if (isDefault) {
                unset.add(where);
            }
        }
        return unset;
    }
}
