package dev.nvjrun.launcher.container;

import dev.nvjrun.runtime.image.oci.ImageConfig;
import dev.nvjrun.runtime.spec.Capability;
import dev.nvjrun.runtime.spec.ContainerSpec;
import dev.nvjrun.runtime.spec.Mount;
import dev.nvjrun.runtime.spec.MountFlag;
import dev.nvjrun.runtime.spec.Namespace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Docker's rules for turning flags and an image config into a spec, without running anything. */
class SpecFromFlagsTest {
    @TempDir
    Path rootfs;

    private static ImageConfig image(List<String> entrypoint, List<String> cmd, List<String> env) {
        return new ImageConfig("amd64", "linux", "", entrypoint, cmd, env, "", "", Map.of(), List.of());
    }

    private static CreateOptions options(String... command) {
        CreateOptions o = new CreateOptions();
        o.image = "busybox";
        o.command = List.of(command);
        o.net.network = "none";
        return o;
    }

    private static SpecFromFlags flags(CreateOptions o) {
        return new SpecFromFlags(o, name -> name.equals("HOST_VAR") ? "from-host" : null);
    }

    @Test
    void cgroupnsPicksTheNamespaceAndTheCgroupMountIsReadOnlyUnlessPrivileged() {
        ImageConfig img = image(List.of(), List.of("true"), List.of());
        CreateOptions o = options();
        o.cgroupns = "private";
        ContainerSpec priv = flags(o).spec(img, rootfs, List.of());
        assertTrue(priv.namespaces().contains(Namespace.CGROUP));
        Mount cgroup = priv.mounts().stream().filter(m -> m.type().equals("cgroup")).findFirst().orElseThrow();
        assertEquals("/sys/fs/cgroup", cgroup.target());
        assertTrue(cgroup.flags().contains(MountFlag.RDONLY));
        o.cgroupns = "host";
        o.privileged = true;
        ContainerSpec host = flags(o).spec(img, rootfs, List.of());
        assertFalse(host.namespaces().contains(Namespace.CGROUP));
        assertFalse(host.mounts().stream().filter(m -> m.type().equals("cgroup")).findFirst().orElseThrow().flags().contains(MountFlag.RDONLY));
        o.cgroupns = null;
        assertEquals(dev.nvjrun.runtime.cgroup.CgroupManager.hostIsUnified(), flags(o).spec(img, rootfs, List.of()).namespaces().contains(Namespace.CGROUP),
                "Docker's default: private on a v2 host, host on v1");
        o.cgroupns = "bogus";
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> flags(o));
        assertEquals("--cgroupns 'bogus' is invalid; use host or private", bad.getMessage());
    }

    @Test
    void argumentsReplaceTheImageCmdButKeepItsEntrypoint() {
        ImageConfig img = image(List.of("/entry"), List.of("default"), List.of());
        assertEquals(List.of("/entry", "default"), flags(options()).command(img));
        assertEquals(List.of("/entry", "mine"), flags(options("mine")).command(img));
    }

    @Test
    void entrypointFlagDropsTheImageCmd() {
        CreateOptions o = options();
        o.entrypoint = "/bin/echo";
        assertEquals(List.of("/bin/echo"), flags(o).command(image(List.of("/entry"), List.of("default"), List.of())));
        o.command = List.of("x");
        assertEquals(List.of("/bin/echo", "x"), flags(o).command(image(List.of("/entry"), List.of("default"), List.of())));
    }

    @Test
    void refusesAnImageWithoutCommand() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> flags(options()).command(image(List.of(), List.of(), List.of())));
        assertTrue(e.getMessage().startsWith("no command specified"), e.getMessage());
    }

    @Test
    void environmentMergesImageThenFilesThenFlags() throws IOException {
        Path file = rootfs.resolve("env");
        Files.writeString(file, "# comment\n\nA=file\nHOST_VAR\nUNSET_VAR\n");
        CreateOptions o = options();
        o.envFiles = List.of(file.toString());
        o.env = List.of("A=flag", "B=flag");
        List<String> env = flags(o).env(image(List.of(), List.of("sh"), List.of("PATH=/bin", "A=image", "C=image")));
        assertEquals(List.of("PATH=/bin", "A=flag", "C=image", "HOST_VAR=from-host", "B=flag"), env);
    }

    @Test
    void defaultPathWhenTheImageHasNone() {
        List<String> env = flags(options()).env(image(List.of(), List.of("sh"), List.of()));
        assertTrue(env.get(0).startsWith("PATH=/usr/local/sbin"), env.toString());
    }

    @Test
    void hostNetworkSharesTheNamespaceAndBadNetworkFlagsAreRefused() {
        CreateOptions host = options("true");
        host.net.network = "host";
        ContainerSpec spec = flags(host).spec(image(List.of(), List.of(), List.of()), rootfs, List.of());
        assertFalse(spec.namespaces().contains(Namespace.NETWORK));
        CreateOptions published = options("true");
        published.net.network = "none";
        published.net.publish = List.of("8080:80");
        RuntimeException e = assertThrows(RuntimeException.class, () -> flags(published));
        assertTrue(e.getMessage().contains("needs a bridge network"), e.getMessage());
        CreateOptions badPort = options("true");
        badPort.net.network = "bridge";
        badPort.net.publish = List.of("99999");
        assertThrows(RuntimeException.class, () -> flags(badPort));
    }

    @Test
    void resourceFlagsBecomeCgroupLimits() {
        CreateOptions o = options("true");
        o.memory = "64m";
        o.cpus = "0.5";
        o.pidsLimit = 20L;
        o.cpuShares = 512L;
        ContainerSpec spec = flags(o).spec(image(List.of(), List.of(), List.of()), rootfs, List.of());
        assertEquals(64L << 20, spec.resources().memoryBytes());
        assertEquals(128L << 20, spec.resources().memorySwapBytes(), "Docker's default swap: as much again");
        assertEquals(50_000L, spec.resources().cpuQuotaMicros());
        assertEquals(100_000L, spec.resources().cpuPeriodMicros());
        assertEquals(20L, spec.resources().pidsLimit());
        assertEquals(512L, spec.resources().cpuShares());
    }

    @Test
    void capabilitiesAreAddedAndDropped() {
        CreateOptions o = options("true");
        o.capDrop = List.of("ALL");
        o.capAdd = List.of("cap_net_admin");
        ContainerSpec spec = flags(o).spec(image(List.of(), List.of(), List.of()), rootfs, List.of());
        assertEquals(java.util.Set.of(Capability.NET_ADMIN), spec.security().capabilities());
        assertTrue(spec.security().seccompFilter().length > 0);
    }

    @Test
    void privilegedAndUnconfinedHaveNoSeccomp() {
        CreateOptions o = options("true");
        o.securityOpts = List.of("seccomp=unconfined", "no-new-privileges");
        ContainerSpec spec = flags(o).spec(image(List.of(), List.of(), List.of()), rootfs, List.of());
        assertEquals(0, spec.security().seccompFilter().length);
        assertTrue(spec.security().noNewPrivileges());
        CreateOptions p = options("true");
        p.privileged = true;
        ContainerSpec privileged = flags(p).spec(image(List.of(), List.of(), List.of()), rootfs, List.of());
        assertTrue(privileged.maskedPaths().isEmpty());
        assertTrue(privileged.security().capabilities().contains(Capability.SYS_ADMIN));
    }

    @Test
    void volumesAndTmpfsBecomeMountsThroughSpecEdits() {
        CreateOptions o = options("true");
        o.volumes = List.of(rootfs.resolve("made-for-volume") + ":/data:ro");
        o.tmpfs = List.of("/run:size=1m,exec");
        o.shmSize = "1m";
        ContainerSpec spec = flags(o).spec(image(List.of(), List.of(), List.of()), rootfs, List.of());
        Mount data = spec.mounts().stream().filter(m -> m.target().equals("/data")).findFirst().orElseThrow();
        assertTrue(data.flags().contains(MountFlag.RDONLY));
        assertTrue(Files.isDirectory(rootfs.resolve("made-for-volume")), "Docker creates a missing host directory");
        Mount run = spec.mounts().stream().filter(m -> m.target().equals("/run")).findFirst().orElseThrow();
        assertEquals("size=1m", run.data());
        assertFalse(run.flags().contains(MountFlag.NOEXEC));
        Mount shm = spec.mounts().stream().filter(m -> m.target().equals("/dev/shm")).findFirst().orElseThrow();
        assertTrue(shm.data().contains("size=1048576"), shm.data());
    }

    @Test
    void extraEditsAddDevicesRulesAndEnvironment() {
        SpecEdit gpuLike = new FlagEdits(List.of(dev.nvjrun.runtime.spec.DeviceNode.charDevice("/dev/nvidia0", 195, 0)),
                List.of(new dev.nvjrun.runtime.spec.DeviceRule(true, dev.nvjrun.runtime.spec.DeviceType.CHAR, 195, 0, "rw")),
                List.of(Mount.bind("/usr/lib", "/usr/lib/driver", true)), List.of("NVIDIA_VISIBLE_DEVICES=0"), List.of());
        ContainerSpec spec = flags(options("true")).spec(image(List.of(), List.of(), List.of()), rootfs, List.of(gpuLike));
        assertTrue(spec.devices().stream().anyMatch(d -> d.path().equals("/dev/nvidia0")));
        assertTrue(spec.resources().deviceRules().stream().anyMatch(r -> r.major() == 195));
        assertTrue(spec.process().env().contains("NVIDIA_VISIBLE_DEVICES=0"));
        assertTrue(spec.mounts().stream().anyMatch(m -> m.target().equals("/usr/lib/driver")));
    }

    @Test
    void badValuesAreRefusedWithOneSentence() {
        List<java.util.function.Consumer<CreateOptions>> bad = List.of(o -> o.memory = "12q", o -> o.memorySwap = "1g",
                o -> o.memory = "1k", o -> o.cpus = "many", o -> o.cpusetCpus = "a-b", o -> o.ulimits = List.of("nofile=5:2"),
                o -> o.ulimits = List.of("nothing=1"), o -> o.labels = List.of("=x"), o -> o.env = List.of("=x"),
                o -> o.volumes = List.of("/a"), o -> o.volumes = List.of("/a:/b:zz"), o -> o.tmpfs = List.of("/t:bogus"),
                o -> o.devices = List.of("dev/null"), o -> o.devices = List.of("/dev/null:/dev/x:rwz"), o -> o.cpuShares = 1L);
        for (int i = 0; i < bad.size(); i++) {
            CreateOptions o = options("true");
            bad.get(i).accept(o);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> flags(o), "bad value number " + i);
            assertFalse(e.getMessage().isBlank());
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
        }
    }

    @Test
    void deviceAndVolumeSpellingsFollowDocker() {
        assertEquals(new DeviceRequest(Path.of("/dev/null"), "/dev/null", "rw"), DeviceRequest.parse("/dev/null:rw"));
        assertEquals(new DeviceRequest(Path.of("/dev/null"), "/dev/x", "rwm"), DeviceRequest.parse("/dev/null:/dev/x"));
        assertEquals(new DeviceRequest(Path.of("/dev/null"), "/dev/x", "r"), DeviceRequest.parse("/dev/null:/dev/x:r"));
        assertEquals(new BindVolume(Path.of("/srv"), "/data", true), BindVolume.parse("/srv:/data:ro"));
        assertEquals(new BindVolume(Path.of("/srv"), "/data", false), BindVolume.parse("/srv:/data:rw,z"));
        IllegalArgumentException named = assertThrows(IllegalArgumentException.class, () -> BindVolume.parse("myvolume:/data"));
        assertTrue(named.getMessage().contains("named volume"), named.getMessage());
    }

    @Test
    void sizesUseBinaryUnits() {
        assertEquals(512L << 20, ByteSize.parse("--memory", "512m"));
        assertEquals(3L << 29, ByteSize.parse("--memory", "1.5g"));
        assertEquals(100, ByteSize.parse("--memory", "100"));
        assertEquals(2048, ByteSize.parse("--memory", "2KiB"));
    }
}
