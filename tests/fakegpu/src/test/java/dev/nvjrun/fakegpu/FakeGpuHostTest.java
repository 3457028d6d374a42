package dev.nvjrun.fakegpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FakeGpuHostTest {

    @TempDir
    Path tmp;

    private static List<String> entries(Path dir) throws IOException {
        try (Stream<Path> list = Files.list(dir)) {
            return list.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void ldCacheListsDriverSonamesForBothArchitectures() throws IOException {
        FakeGpuHost host = FakeGpuHost.create(tmp.resolve("host"), HostSpec.defaults());
        Command cache = Command.run("ldconfig", "-p", "-C", host.root().resolve("etc/ld.so.cache").toString());
        assertEquals(0, cache.exitCode(), cache.output());
        String out = cache.output();
        assertTrue(out.contains("libcuda.so.1 (libc6,x86-64) => /usr/lib/x86_64-linux-gnu/libcuda.so.1"), out);
        assertTrue(out.contains("libcuda.so.1 (libc6) => /usr/lib/i386-linux-gnu/libcuda.so.1"), out);
        assertTrue(out.contains("libnvidia-ml.so.1 (libc6,x86-64) => /usr/lib/x86_64-linux-gnu/libnvidia-ml.so.1"), out);
        assertTrue(out.contains("libGLX_nvidia.so.0 (libc6) => /usr/lib/i386-linux-gnu/libGLX_nvidia.so.0"), out);
        assertTrue(out.contains("libnvidia-glcore.so.550.54.15 (libc6,x86-64) => "
                + "/usr/lib/x86_64-linux-gnu/libnvidia-glcore.so.550.54.15"), out);
        assertTrue(out.contains("libcuda.so.1 (libc6,x86-64) => /usr/lib/x86_64-linux-gnu/nvidia/old/libcuda.so.1"), out);
        assertTrue(out.contains("libGL.so.1 (libc6,x86-64) => /usr/lib/x86_64-linux-gnu/libGL.so.1"), out);
        assertEquals("libcuda.so.550.54.15",
                Files.readSymbolicLink(host.root().resolve("usr/lib/x86_64-linux-gnu/libcuda.so.1")).toString());
        assertEquals("libnvidia-ml.so.470.239.06", Files.readSymbolicLink(
                host.root().resolve("usr/lib/x86_64-linux-gnu/nvidia/old/libnvidia-ml.so.1")).toString());
    }

    @Test
    void stubsCarryRealSonameAndNeededEntries() throws IOException {
        FakeGpuHost host = FakeGpuHost.create(tmp.resolve("host"), HostSpec.defaults());
        Command egl = Command.run("readelf", "-d",
                host.root().resolve("usr/lib/i386-linux-gnu/libEGL_nvidia.so.550.54.15").toString());
        assertEquals(0, egl.exitCode(), egl.output());
        assertTrue(egl.output().contains("Library soname: [libEGL_nvidia.so.0]"), egl.output());
        assertTrue(egl.output().contains("Shared library: [libnvidia-eglcore.so.550.54.15]"), egl.output());
        assertTrue(egl.output().contains("Shared library: [libGLdispatch.so.0]"), egl.output());
        Command mesa = Command.run("readelf", "-d",
                host.root().resolve("usr/lib/x86_64-linux-gnu/libGL.so.1.7.0").toString());
        assertTrue(mesa.output().contains("Shared library: [libglapi.so.0]"), mesa.output());
        assertFalse(mesa.output().contains("libnvidia-glcore"), mesa.output());
        Command mock = Command.run("readelf", "-d", host.nvmlLibrary().toString());
        assertTrue(mock.output().contains("Library soname: [libnvidia-ml.so.1]"), mock.output());
    }

    @Test
    void binariesRunAndFirmwareIsInPlace() throws IOException {
        FakeGpuHost host = FakeGpuHost.create(tmp.resolve("host"), HostSpec.defaults().withDriverVersion("535.104.05"));
        Command smi = Command.run(host.root().resolve("usr/bin/nvidia-smi").toString());
        assertEquals(0, smi.exitCode());
        assertTrue(smi.output().startsWith("nvidia-smi: fake NVIDIA driver 535.104.05"), smi.output());
        assertTrue(Files.isExecutable(host.root().resolve("usr/bin/nvidia-cuda-mps-server")));
        assertEquals(List.of("gsp_ga10x.bin", "gsp_tu10x.bin"),
                entries(host.root().resolve("lib/firmware/nvidia/535.104.05")));
        assertTrue(Files.exists(host.root().resolve("usr/lib/x86_64-linux-gnu/libcuda.so.535.104.05")));
    }

    @Test
    void deviceNodesAreCharDevicesWithDriverNumbers() throws IOException {
        FakeGpuHost host = FakeGpuHost.create(tmp.resolve("host"), HostSpec.defaults().withGpus(3));
        Path dev = host.root().resolve("dev");
        // stat prints major:minor in hex
        assertEquals("c3:2", stat(dev.resolve("nvidia2")));
        assertEquals("c3:ff", stat(dev.resolve("nvidiactl")));
        assertEquals("c3:fe", stat(dev.resolve("nvidia-modeset")));
        assertEquals("1fe:0", stat(dev.resolve("nvidia-uvm")));
        assertEquals("1fe:1", stat(dev.resolve("nvidia-uvm-tools")));
        Command type = Command.run("stat", "-c", "%F", dev.resolve("nvidia0").toString());
        assertEquals("character special file", type.output().trim());
        String devices = Files.readString(host.procRoot().resolve("devices"));
        assertTrue(devices.contains("\n195 nvidia-frontend\n"), devices);
        assertTrue(devices.contains("\n510 nvidia-uvm\n"), devices);
    }

    private static String stat(Path node) throws IOException {
        return Command.run("stat", "-c", "%t:%T", node.toString()).output().trim();
    }

    @Test
    void migHostHasCapsMinorsAndNodes() throws IOException {
        FakeGpuHost host = FakeGpuHost.create(tmp.resolve("host"), HostSpec.defaults().withMig(true));
        String minors = Files.readString(host.procRoot().resolve("driver/nvidia-caps/mig-minors"));
        assertTrue(minors.startsWith("config 1\nmonitor 2\ngpu0/gi0/access 3\ngpu0/gi0/ci0/access 4\n"), minors);
        assertTrue(minors.contains("\ngpu0/gi1/access 12\n"), minors);
        assertTrue(Files.exists(host.root().resolve("dev/nvidia-caps/nvidia-cap12")));
        assertTrue(Files.exists(host.root().resolve("dev/nvidia-caps/nvidia-cap13")));
        assertEquals("1ff:c", stat(host.root().resolve("dev/nvidia-caps/nvidia-cap12")));
    }

    @Test
    void procVersionUsesTheNvrmFormat() throws IOException {
        FakeGpuHost host = FakeGpuHost.create(tmp.resolve("host"), HostSpec.defaults());
        String version = Files.readString(host.procRoot().resolve("driver/nvidia/version"));
        assertTrue(version.matches("(?s)NVRM version: NVIDIA UNIX x86_64 Kernel Module  550\\.54\\.15  .*\nGCC version:.*"),
                version);
        String info = Files.readString(host.procRoot().resolve("driver/nvidia/gpus/0000:02:00.0/information"));
        assertTrue(info.contains("GPU UUID: \t " + host.gpus().get(1).uuid()), info);
    }

    @Test
    void envFileSourcesInShell() throws IOException {
        Path dir = tmp.resolve("it's a host");
        FakeGpuHost host = FakeGpuHost.create(dir, HostSpec.defaults());
        Command sh = Command.run("sh", "-c", ". \"$0\" && printf '%s|%s|%s' \"$NVJRUN_DRIVER_ROOT\" "
                + "\"$NVJRUN_NVML_LIBRARY\" \"$NVJRUN_PROC_ROOT\"", host.envFile().toString());
        assertEquals(0, sh.exitCode(), sh.output());
        assertEquals(host.root() + "|" + host.nvmlLibrary() + "|" + host.procRoot(), sh.output());
        assertEquals(host.environment().get("NVJRUN_FAKEGPU_CONFIG"), host.configFile().toString());
    }

    @Test
    void persistencedSocketIsABoundSocket() throws IOException {
        FakeGpuHost host = FakeGpuHost.create(tmp.resolve("host"), HostSpec.defaults().withPersistenced(true));
        Command type = Command.run("stat", "-c", "%F", host.root().resolve("run/nvidia-persistenced/socket").toString());
        assertEquals("socket", type.output().trim());
    }

    @Test
    void failedCreationLeavesNothingBehind() throws IOException {
        Path dir = tmp.resolve("host");
        IOException failure = assertThrows(IOException.class, () -> FakeGpuHost.create(dir, HostSpec.defaults(),
                root -> {
                    Files.writeString(root.resolve("etc/ld.so.cache"), "half");
                    throw new IOException("ldconfig broke");
                }));
        assertEquals("ldconfig broke", failure.getMessage());
        assertEquals(List.of(), entries(tmp));
    }

    @Test
    void refusesNonEmptyDirectory() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("host"));
        Files.writeString(dir.resolve("keep"), "mine");
        IOException e = assertThrows(IOException.class, () -> FakeGpuHost.create(dir, HostSpec.defaults()));
        assertTrue(e.getMessage().contains("is not empty"), e.getMessage());
        assertEquals(List.of("keep"), entries(dir));
        assertEquals(List.of("host"), entries(tmp));
    }

    @Test
    void fillsAnExistingEmptyDirectory() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("host"));
        FakeGpuHost host = FakeGpuHost.create(dir, HostSpec.defaults().withGpus(1));
        assertEquals(1, host.gpus().size());
        assertEquals(List.of("host"), entries(tmp));
    }

    @Test
    void refusesMalformedConfigWithoutWritingAnything() throws IOException {
        Path config = tmp.resolve("gpus.json");
        Files.writeString(config, "{\"gpus\": [ {\"uuid\": \"GPU-1\"} ");
        IOException e = assertThrows(IOException.class,
                () -> FakeGpuHost.create(tmp.resolve("host"), HostSpec.defaults().withConfig(config)));
        assertTrue(e.getMessage().startsWith("GPU description " + config + " is not valid JSON"), e.getMessage());
        assertEquals(List.of("gpus.json"), entries(tmp));
    }

    @Test
    void usesAGivenConfigAsIs() throws IOException {
        Path config = tmp.resolve("gpus.json");
        Files.writeString(config, """
                {"driverVersion": "470.82.01", "gpus": [
                  {"uuid": "GPU-custom-0", "minor": 7, "name": "Custom GPU", "pci": {"busId": "00000000:81:00.0"}}]}
                """);
        FakeGpuHost host = FakeGpuHost.create(tmp.resolve("host"), HostSpec.defaults().withConfig(config));
        assertEquals(List.of(new FakeGpu(0, "GPU-custom-0", 7, "00000000:81:00.0", "Custom GPU")), host.gpus());
        assertEquals("470.82.01", host.spec().driverVersion());
        assertTrue(Files.exists(host.root().resolve("dev/nvidia7")));
        assertTrue(host.nvmlLibrary().endsWith("libnvidia-ml.so.470.82.01"));
        assertTrue(Files.isRegularFile(host.nvmlLibrary()));
    }

    @Test
    void refusesLosingAGpuItDoesNotHave() throws IOException {
        FakeGpuHost host = FakeGpuHost.create(tmp.resolve("host"), HostSpec.defaults());
        String before = Files.readString(host.configFile());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> host.injectFailure(new Failure.GpuLost(2)));
        assertTrue(e.getMessage().contains("describes 2 GPUs"), e.getMessage());
        assertEquals(before, Files.readString(host.configFile()));
    }

    @Test
    void opensAHostMadeEarlier() throws IOException {
        FakeGpuHost made = FakeGpuHost.create(tmp.resolve("host"), HostSpec.defaults().withGpus(3).withMig(true));
        FakeGpuHost opened = FakeGpuHost.open(tmp.resolve("host"));
        assertEquals(made.spec(), opened.spec());
        assertEquals(made.gpus(), opened.gpus());
    }

    @Test
    void explainsAFileInTheWayOfTheParent() throws IOException {
        Path file = Files.writeString(tmp.resolve("plain"), "x");
        IOException e = assertThrows(IOException.class,
                () -> FakeGpuHost.create(file.resolve("host"), HostSpec.defaults()));
        assertEquals("cannot create fake GPU host " + file.resolve("host") + ": a file is in the way at " + file
                + "; check the path and its permissions", e.getMessage());
        assertEquals(List.of("plain"), entries(tmp));
    }
}
