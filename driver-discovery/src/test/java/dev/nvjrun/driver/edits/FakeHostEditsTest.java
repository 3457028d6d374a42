package dev.nvjrun.driver.edits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nvjrun.driver.HostRoots;
import dev.nvjrun.driver.catalog.DriverCatalog;
import dev.nvjrun.driver.devices.DeviceNode;
import dev.nvjrun.driver.devices.NvidiaDevices;
import dev.nvjrun.driver.devices.ProcDevices;
import dev.nvjrun.driver.request.GpuRequest;
import dev.nvjrun.driver.request.HostDriver;
import dev.nvjrun.driver.request.HostGpu;
import dev.nvjrun.driver.request.HostGpus;
import dev.nvjrun.driver.request.P2pTopology;
import dev.nvjrun.driver.request.RequestResolver;
import dev.nvjrun.driver.request.RequestSources;
import dev.nvjrun.fakegpu.FakeGpuHost;
import dev.nvjrun.fakegpu.HostSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The request → edits path on the project's simulated 3-GPU host. */
class FakeHostEditsTest {

    @TempDir
    static Path dir;
    static FakeGpuHost host;
    static HostRoots roots;
    static HostGpus gpus;
    static DriverInjection injection;
    static String version;

    @BeforeAll
    static void createHost() throws Exception {
        host = FakeGpuHost.create(dir.resolve("host"), HostSpec.defaults().withGpus(3));
        roots = new HostRoots(host.root(), host.root(), host.procRoot());
        version = host.spec().driverVersion();
        gpus = new HostGpus(new HostDriver(version, host.spec().cudaVersion()),
                host.gpus().stream().map(g -> HostGpu.of(g.index(), g.uuid(), g.minor())).toList());
        injection = new DriverInjection(roots, new DriverCatalog(roots, Map.of()), new NvidiaDevices(roots), version);
    }

    static ContainerEdits edits(RequestSources sources) throws Exception {
        return injection.edits(new RequestResolver(gpus, P2pTopology.unknown()).resolve(GpuRequest.from(sources)));
    }

    static List<String> devicePaths(ContainerEdits edits) {
        return edits.devices().stream().map(DeviceNode::path).toList();
    }

    static List<String> targets(ContainerEdits edits) {
        return edits.mounts().stream().map(Mount::containerPath).toList();
    }

    @Test
    void deviceZeroAndTwoGetThoseNodesAndTheControlDevicesOnly() throws Exception {
        ContainerEdits e = edits(RequestSources.ofGpusFlag("\"device=0,2\""));
        assertEquals(List.of("/dev/nvidiactl", "/dev/nvidia-uvm", "/dev/nvidia-uvm-tools", "/dev/nvidia0", "/dev/nvidia2"),
                devicePaths(e));
    }

    @Test
    void devicesCarryTheHostsNumbers() throws Exception {
        int uvm = ProcDevices.read(roots.procRoot()).major("nvidia-uvm").orElseThrow();
        ContainerEdits e = edits(RequestSources.ofGpusFlag("device=2"));
        assertEquals(List.of("195:255", uvm + ":0", uvm + ":1", "195:2"),
                e.devices().stream().map(d -> d.major() + ":" + d.minor()).toList());
    }

    @Test
    void displayAddsModeset() throws Exception {
        ContainerEdits e = edits(RequestSources.ofGpusFlag("device=0,capabilities=display"));
        assertTrue(devicePaths(e).contains("/dev/nvidia-modeset"), devicePaths(e).toString());
    }

    @Test
    void noneGetsControlDevicesAndDriverButNoGpu() throws Exception {
        ContainerEdits e = edits(RequestSources.none().withUserEnv(Map.of("NVIDIA_VISIBLE_DEVICES", "none")));
        assertEquals(List.of("/dev/nvidiactl", "/dev/nvidia-uvm", "/dev/nvidia-uvm-tools"), devicePaths(e));
        assertTrue(targets(e).contains("/usr/local/nvidia/bin/nvidia-smi"));
        assertEquals("none", e.environment().get("NVIDIA_VISIBLE_DEVICES"));
    }

    @Test
    void voidGetsNothing() throws Exception {
        assertTrue(edits(RequestSources.none()).isEmpty());
    }

    @Test
    void librariesGoToTheVolumeLayoutReadOnlyWithSonameLinks() throws Exception {
        ContainerEdits e = edits(RequestSources.ofGpusFlag("all"));
        assertTrue(targets(e).contains("/usr/local/nvidia/lib64/libcuda.so." + version), targets(e).toString());
        assertTrue(targets(e).contains("/usr/local/nvidia/lib64/libnvidia-ml.so." + version), targets(e).toString());
        assertTrue(e.mounts().stream().filter(m -> m.containerPath().startsWith("/usr/local/nvidia/"))
                .allMatch(m -> m instanceof Mount.Bind b && b.readOnly()));
        assertTrue(e.symlinks().contains(new Symlink("/usr/local/nvidia/lib64/libcuda.so.1", "libcuda.so." + version)),
                e.symlinks().toString());
    }

    @Test
    void utilityBinariesGoToTheBinDirectoryOnPath() throws Exception {
        ContainerEdits e = edits(RequestSources.ofGpusFlag("all"));
        assertTrue(targets(e).contains("/usr/local/nvidia/bin/nvidia-smi"), targets(e).toString());
        assertEquals("/usr/bin:/bin:/usr/local/nvidia/bin", e.applyTo(Map.of("PATH", "/usr/bin:/bin")).get("PATH"));
    }

    @Test
    void videoLibrariesComeOnlyWhenAskedFor() throws Exception {
        ContainerEdits plain = edits(RequestSources.ofGpusFlag("all"));
        assertFalse(targets(plain).stream().anyMatch(t -> t.contains("libnvcuvid") || t.contains("libnvidia-encode")),
                targets(plain).toString());
        ContainerEdits video = edits(RequestSources.ofGpusFlag("all").withUserEnv(
                Map.of("NVIDIA_DRIVER_CAPABILITIES", "compute,video")));
        assertTrue(targets(video).contains("/usr/local/nvidia/lib64/libnvcuvid.so." + version), targets(video).toString());
        assertFalse(targets(video).contains("/usr/local/nvidia/bin/nvidia-smi"), "utility was not asked for");
    }

    @Test
    void thirtyTwoBitLibrariesGoToLibWithCompat32() throws Exception {
        ContainerEdits e = edits(RequestSources.ofGpusFlag("all,capabilities=compute,compat32"));
        assertTrue(targets(e).contains("/usr/local/nvidia/lib/libcuda.so." + version), targets(e).toString());
    }

    @Test
    void firmwareKeepsItsHostPath() throws Exception {
        ContainerEdits e = edits(RequestSources.ofGpusFlag("all"));
        assertTrue(targets(e).stream().anyMatch(t -> t.startsWith("/lib/firmware/nvidia/" + version + "/gsp")),
                targets(e).toString());
    }

    @Test
    void writesTheLdSoConfEntry() throws Exception {
        ContainerEdits e = edits(RequestSources.ofGpusFlag("all"));
        assertEquals(List.of(new ContainerFile("/etc/ld.so.conf.d/000-nvjrun-nvidia.conf",
                "/usr/local/nvidia/lib64\n/usr/local/nvidia/lib\n")), e.files());
        assertTrue(e.ldconfig().isPresent(), "the build machine has a glibc ldconfig");
    }

    @Test
    void setsVisibleDevicesToTheUuidsGiven() throws Exception {
        ContainerEdits e = edits(RequestSources.ofGpusFlag("device=2,0"));
        assertEquals(host.gpus().get(2).uuid() + "," + host.gpus().get(0).uuid(),
                e.environment().get("NVIDIA_VISIBLE_DEVICES"));
        assertEquals("utility,compute", e.environment().get("NVIDIA_DRIVER_CAPABILITIES"));
        assertFalse(e.environment().containsKey("CUDA_VISIBLE_DEVICES"));
        assertEquals("all", edits(RequestSources.ofGpusFlag("all")).environment().get("NVIDIA_VISIBLE_DEVICES"));
    }

    @Test
    void theDriverVolumeReplacesPerFileMounts() throws Exception {
        Path volume = dir.resolve("volumes/nvidia_driver/" + version);
        ContainerEdits e = injection.withDriverVolume("nvidia_driver_" + version, volume).edits(
                new RequestResolver(gpus, P2pTopology.unknown()).resolve(GpuRequest.from(RequestSources.ofGpusFlag("1"))));
        assertEquals(new Mount.DriverVolume("nvidia_driver_" + version, volume, "/usr/local/nvidia"), e.mounts().getFirst());
        assertFalse(targets(e).stream().anyMatch(t -> t.startsWith("/usr/local/nvidia/")), targets(e).toString());
        assertEquals(List.of(), e.symlinks());
    }

    @Test
    void eachContainerPathIsMountedOnce() throws Exception {
        List<String> t = targets(edits(RequestSources.ofGpusFlag("all,capabilities=all")));
        assertEquals(t.size(), t.stream().distinct().count(), t.toString());
    }

    @Test
    void everyBindSourceExistsUnderTheDriverRoot() throws Exception {
        for (Mount m : edits(RequestSources.ofGpusFlag("all,capabilities=all")).mounts()) {
            Mount.Bind b = (Mount.Bind) m;
            assertTrue(b.hostPath().startsWith(host.root()) && Files.exists(b.hostPath()), b.toString());
        }
    }
}
