package dev.nvjrun.runtime.container;

import dev.nvjrun.runtime.cgroup.v2.CgroupV2Manager;
import dev.nvjrun.runtime.helper.HelperBinary;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.nvjrun.runtime.spec.ContainerSpec;
import dev.nvjrun.runtime.spec.DeviceNode;

import java.nio.file.Files;
import java.util.ArrayList;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A whole container whose cgroup lives on a cgroup2 hierarchy the test mounts. */
class ContainerOnCgroupV2Test {
    @TempDir
    static Path tmp;
    static Path mount;
    static Path parent;

    @BeforeAll
    static void mountCgroup2() throws Exception {
        mount = Files.createDirectories(tmp.resolve("cgroup2"));
        Process p = new ProcessBuilder("mount", "-t", "cgroup2", "none", mount.toString()).inheritIO().start();
        assertEquals(0, p.waitFor(), "mount -t cgroup2 failed; these tests need root and a kernel with cgroup2");
        parent = Files.createDirectories(mount.resolve("nvjrun-test-" + UUID.randomUUID()));
    }

    @AfterAll
    static void unmount() throws Exception {
        Files.deleteIfExists(parent.resolve("nvjrun"));
        Files.deleteIfExists(parent);
        new ProcessBuilder("umount", mount.toString()).inheritIO().start().waitFor();
    }

    @Test
    void containerRunsInItsOwnV2GroupWhichIsRemovedWithIt() throws Exception {
        Path rootfs = BusyboxRootfs.create(tmp.resolve("rootfs"));
        ContainerRuntime runtime = new ContainerRuntime(tmp.resolve("state"), new CgroupV2Manager(parent), HelperBinary.extractTo(tmp.resolve("bin")));
        ContainerState c = runtime.create(CreateRequest.of(DockerDefaults.spec(rootfs, List.of("sleep", "100"))));
        ContainerState running = runtime.start(c.id());
        Path group = parent.resolve("nvjrun").resolve(c.id());
        assertEquals(List.of(String.valueOf(running.pid())), Files.readAllLines(group.resolve("cgroup.procs")));
        assertTrue(Files.readString(Path.of("/proc", String.valueOf(running.pid()), "cgroup")).contains("/nvjrun/" + c.id()));
        runtime.delete(c.id(), true);
        assertFalse(Files.exists(group));
    }

    @Test
    void ownCgroupNamespaceSeesItsGroupAsTheReadOnlyCgroup2Root() throws Exception {
        Path rootfs = BusyboxRootfs.create(tmp.resolve("rootfs-ns"));
        ContainerRuntime runtime = new ContainerRuntime(tmp.resolve("state-ns"), new CgroupV2Manager(parent), HelperBinary.extractTo(tmp.resolve("bin")));
        ContainerSpec spec = DockerDefaults.spec(rootfs, List.of("sh", "-c", "grep ' /sys/fs/cgroup ' /proc/self/mountinfo | cut -d' ' -f4-6,9;"
                + " grep '^0::' /proc/self/cgroup; cat /sys/fs/cgroup/cgroup.procs | wc -l; ls /sys/fs/cgroup | grep -c nvjrun;"
                + " mkdir /sys/fs/cgroup/x 2>/dev/null || echo ro"));
        java.util.Set<dev.nvjrun.runtime.spec.Namespace> ns = java.util.EnumSet.copyOf(spec.namespaces());
        ns.add(dev.nvjrun.runtime.spec.Namespace.CGROUP);
        Path out = tmp.resolve("ns-out.txt");
        RunResult r = runtime.run(CreateRequest.of(spec.withNamespaces(ns)), true, new Stdio(null, out, out));
        String output = Files.readString(out);
        assertEquals(0, r.exitCode(), output);
        // Mount root "/" of cgroup2 inside the namespace is the container's own group: only its processes (sh, cat, wc), no child groups.
        assertEquals(List.of("/ /sys/fs/cgroup ro,nosuid,nodev,noexec,relatime cgroup2", "0::/", "3", "0", "ro"), output.lines().toList(), output);
    }

    @Test
    void ebpfDeviceProgramRefusesDevicesOutsideTheRules() throws Exception {
        Path rootfs = BusyboxRootfs.create(tmp.resolve("rootfs-dev"));
        ContainerRuntime runtime = new ContainerRuntime(tmp.resolve("state-dev"), new CgroupV2Manager(parent), HelperBinary.extractTo(tmp.resolve("bin")));
        ContainerSpec spec = DockerDefaults.spec(rootfs, List.of("sh", "-c", "echo x > /dev/null && echo null-ok; head -c 1 /dev/zero | wc -c; head -c 1 /dev/kmsg"));
        List<DeviceNode> devices = new ArrayList<>(spec.devices());
        devices.add(DeviceNode.charDevice("/dev/kmsg", 1, 11));
        Path out = tmp.resolve("dev-out.txt");
        RunResult r = runtime.run(CreateRequest.of(spec.withDevices(devices)), true, new Stdio(null, out, out));
        String output = Files.readString(out);
        assertTrue(output.startsWith("null-ok\n1\n"), output);
        assertTrue(output.contains("Operation not permitted"), output);
        assertEquals(1, r.exitCode());
    }
}
