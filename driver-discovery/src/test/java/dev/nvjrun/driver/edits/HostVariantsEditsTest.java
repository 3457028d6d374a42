package dev.nvjrun.driver.edits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nvjrun.driver.DriverDiscoveryException;
import dev.nvjrun.driver.HostRoots;
import dev.nvjrun.driver.HostTools;
import dev.nvjrun.driver.catalog.DriverCatalog;
import dev.nvjrun.driver.devices.DeviceNode;
import dev.nvjrun.driver.devices.NvidiaDevices;
import dev.nvjrun.driver.request.GpuRequest;
import dev.nvjrun.driver.request.HostDriver;
import dev.nvjrun.driver.request.HostGpu;
import dev.nvjrun.driver.request.HostGpus;
import dev.nvjrun.driver.request.HostMigDevice;
import dev.nvjrun.driver.request.P2pTopology;
import dev.nvjrun.driver.request.RequestResolver;
import dev.nvjrun.driver.request.RequestSources;
import dev.nvjrun.fakegpu.FakeGpuHost;
import dev.nvjrun.fakegpu.HostSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Edits on simulated hosts of other shapes: MIG (GPU instances 1 and 2, compute instance 0), a stale node, IPC sockets. */
class HostVariantsEditsTest {

    @TempDir
    Path dir;

    @Test
    void aMigDeviceGetsItsParentAndItsAccessNodes() throws Exception {
        FakeGpuHost host = FakeGpuHost.create(dir.resolve("mig"), HostSpec.defaults().withMig(true));
        HostRoots roots = new HostRoots(host.root(), host.root(), host.procRoot());
        NvidiaDevices nodes = new NvidiaDevices(roots);
        List<HostGpu> gpus = host.gpus().stream().map(g -> new HostGpu(g.index(), g.uuid(), g.minor(), "", "", "", "",
                List.of(new HostMigDevice("MIG-" + g.index() + "-a", 1, 0), new HostMigDevice("MIG-" + g.index() + "-b", 2, 0))))
                .toList();
        HostGpus hostGpus = new HostGpus(new HostDriver("550.54.15", "12.4"), gpus);
        String version = host.spec().driverVersion();
        DriverInjection injection = new DriverInjection(roots, new DriverCatalog(roots, Map.of()), nodes, version);

        ContainerEdits e = injection.edits(new RequestResolver(hostGpus, P2pTopology.unknown()).resolve(
                GpuRequest.from(RequestSources.none().withUserEnv(Map.of("NVIDIA_VISIBLE_DEVICES", "1:1")))));

        Map<String, Integer> minors = nodes.migMinors();
        int gpu1 = host.gpus().get(1).minor();
        assertEquals(List.of("/dev/nvidiactl", "/dev/nvidia-uvm", "/dev/nvidia-uvm-tools", "/dev/nvidia" + gpu1,
                        "/dev/nvidia-caps/nvidia-cap" + minors.get("gpu" + gpu1 + "/gi2/access"),
                        "/dev/nvidia-caps/nvidia-cap" + minors.get("gpu" + gpu1 + "/gi2/ci0/access")),
                e.devices().stream().map(DeviceNode::path).toList());
        assertEquals("MIG-1-b", e.environment().get("NVIDIA_VISIBLE_DEVICES"));
    }

    @Test
    void refusesAStaleGpuNodeAndComputesNothing() throws Exception {
        FakeGpuHost host = FakeGpuHost.create(dir.resolve("stale"), HostSpec.defaults());
        HostRoots roots = new HostRoots(host.root(), host.root(), host.procRoot());
        Path node = roots.inDevRoot("/dev/nvidia1");
        Files.delete(node);
        HostTools.run("mknod", node.toString(), "c", "195", "7");
        HostGpus hostGpus = new HostGpus(new HostDriver("550.54.15", "12.4"),
                host.gpus().stream().map(g -> HostGpu.of(g.index(), g.uuid(), g.minor())).toList());
        DriverInjection injection = new DriverInjection(roots, new DriverCatalog(roots, Map.of()), new NvidiaDevices(roots),
                host.spec().driverVersion());
        var resolved = new RequestResolver(hostGpus, P2pTopology.unknown())
                .resolve(GpuRequest.from(RequestSources.ofGpusFlag("device=1")));
        String message = assertThrows(DriverDiscoveryException.class,
                () -> injection.edits(resolved)).getMessage();
        assertTrue(message.contains("is device 195:7"), message);
        // Another GPU of the same host is still served: the failure is about that node alone.
        assertEquals(List.of("/dev/nvidiactl", "/dev/nvidia-uvm", "/dev/nvidia-uvm-tools", "/dev/nvidia0"),
                injection.edits(new RequestResolver(hostGpus, P2pTopology.unknown())
                        .resolve(GpuRequest.from(RequestSources.ofGpusFlag("device=0")))).devices().stream()
                        .map(DeviceNode::path).toList());
    }

    @Test
    void socketsAreReadOnlyButTheMpsPipeDirectoryIsWritable() throws Exception {
        FakeGpuHost host = FakeGpuHost.create(dir.resolve("ipc"), HostSpec.defaults().withPersistenced(true));
        HostRoots roots = new HostRoots(host.root(), host.root(), host.procRoot());
        Files.createDirectories(host.root().resolve("tmp/nvidia-mps"));
        HostGpus hostGpus = new HostGpus(new HostDriver("550.54.15", "12.4"),
                host.gpus().stream().map(g -> HostGpu.of(g.index(), g.uuid(), g.minor())).toList());
        ContainerEdits e = new DriverInjection(roots, new DriverCatalog(roots, Map.of()), new NvidiaDevices(roots),
                host.spec().driverVersion()).edits(new RequestResolver(hostGpus, P2pTopology.unknown())
                .resolve(GpuRequest.from(RequestSources.ofGpusFlag("all"))));
        assertEquals(new Mount.Bind(host.root().resolve("run/nvidia-persistenced/socket"),
                "/run/nvidia-persistenced/socket", true), find(e, "/run/nvidia-persistenced/socket"));
        assertEquals(new Mount.Bind(host.root().resolve("tmp/nvidia-mps"), "/tmp/nvidia-mps", false),
                find(e, "/tmp/nvidia-mps"));
    }

    private static Mount find(ContainerEdits edits, String target) {
        return edits.mounts().stream().filter(m -> m.containerPath().equals(target)).findFirst().orElseThrow(
                () -> new AssertionError(target + " is not mounted: " + edits.mounts()));
    }

    @Test
    void readsTheDriverFilesOncePerCapabilitySet() throws Exception {
        FakeGpuHost host = FakeGpuHost.create(dir.resolve("cached"), HostSpec.defaults());
        HostRoots roots = new HostRoots(host.root(), host.root(), host.procRoot());
        HostGpus hostGpus = new HostGpus(new HostDriver("550.54.15", "12.4"),
                host.gpus().stream().map(g -> HostGpu.of(g.index(), g.uuid(), g.minor())).toList());
        RequestResolver resolver = new RequestResolver(hostGpus, P2pTopology.unknown());
        DriverInjection injection = new DriverInjection(roots, new DriverCatalog(roots, Map.of()), new NvidiaDevices(roots),
                host.spec().driverVersion());
        ContainerEdits first = injection.edits(resolver.resolve(GpuRequest.from(RequestSources.ofGpusFlag("all"))));
        Files.delete(host.root().resolve("etc/ld.so.cache"));
        ContainerEdits again = injection.edits(resolver.resolve(GpuRequest.from(RequestSources.ofGpusFlag("device=0"))));
        assertEquals(first.mounts(), again.mounts());
        ContainerEdits video = injection.edits(resolver.resolve(GpuRequest.from(RequestSources.ofGpusFlag("all,capabilities=video"))));
        assertNotEquals(first.mounts(), video.mounts(), "a new capability set gets its own files, from the cache the catalog read once");
        DriverInjection fresh = new DriverInjection(roots, new DriverCatalog(roots, Map.of()), new NvidiaDevices(roots),
                host.spec().driverVersion());
        assertThrows(DriverDiscoveryException.class, () -> fresh.edits(resolver.resolve(
                GpuRequest.from(RequestSources.ofGpusFlag("all")))), "a new catalog reads the cache again");
    }
}
