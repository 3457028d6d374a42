package dev.nvjrun.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nvjrun.driver.catalog.Capability;
import dev.nvjrun.driver.catalog.DriverCatalog;
import dev.nvjrun.driver.catalog.DriverFile;
import dev.nvjrun.driver.catalog.FileKind;
import dev.nvjrun.driver.devices.DeviceNode;
import dev.nvjrun.driver.devices.DeviceType;
import dev.nvjrun.driver.devices.NvidiaDevices;
import dev.nvjrun.driver.devices.ProcDevices;
import dev.nvjrun.driver.version.DriverVersionCheck;
import dev.nvjrun.driver.version.KernelModuleVersion;
import dev.nvjrun.fakegpu.FakeGpu;
import dev.nvjrun.fakegpu.FakeGpuHost;
import dev.nvjrun.fakegpu.HostSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole module against the project's simulated GPU host (tests/fakegpu). */
class FakeGpuHostDiscoveryTest {

    @TempDir
    static Path dir;
    static FakeGpuHost host;
    static HostRoots roots;
    static DriverCatalog catalog;
    static String version;

    @BeforeAll
    static void createHost() throws Exception {
        host = FakeGpuHost.create(dir.resolve("host"), HostSpec.defaults().withGpus(3));
        roots = new HostRoots(host.root(), host.root(), host.procRoot());
        catalog = new DriverCatalog(roots, Map.of());
        version = host.spec().driverVersion();
    }

    private static List<String> names(List<DriverFile> files, FileKind kind) {
        return files.stream().filter(f -> f.kind() == kind).map(f -> f.hostPath().getFileName().toString()).toList();
    }

    @Test
    void locatesTheNvmlLibraryTheDynamicLinkerWouldLoad() throws Exception {
        assertEquals(host.nvmlLibrary().toRealPath(), catalog.nvmlLibrary().toRealPath());
    }

    @Test
    void findsLibcudaAndNvmlOfTheHostsDriverVersion() throws Exception {
        List<DriverFile> files = catalog.find(Capability.parse("compute,utility"), version);
        List<String> libs = names(files, FileKind.LIB64);
        assertTrue(libs.contains("libcuda.so." + version), libs.toString());
        assertTrue(libs.contains("libnvidia-ml.so." + version), libs.toString());
        Path nvml = host.nvmlLibrary().toRealPath();
        assertTrue(files.stream().anyMatch(f -> f.hostPath().equals(nvml)), files.toString());
        assertTrue(libs.stream().allMatch(l -> l.endsWith(".so." + version)), libs.toString());
    }

    @Test
    void leavesOutTheStaleDriverAndForeignGlLibraries() throws Exception {
        List<DriverFile> files = catalog.find(Capability.parse("all"), version);
        assertTrue(files.stream().noneMatch(f -> f.hostPath().toString().contains("/nvidia/old/")), files.toString());
        List<String> libs = names(files, FileKind.LIB64);
        assertTrue(libs.stream().noneMatch(l -> l.startsWith("libGL.so") || l.contains("mesa")), libs.toString());
        assertTrue(libs.contains("libGLX_nvidia.so." + version), libs.toString());
        assertTrue(libs.contains("libnvidia-tls.so." + version), libs.toString());
    }

    @Test
    void adds32BitLibrariesOnlyWithCompat32() throws Exception {
        List<String> with = names(catalog.find(Capability.parse("compute,compat32"), version), FileKind.LIB32);
        assertTrue(with.contains("libcuda.so." + version), with.toString());
        assertEquals(List.of(), names(catalog.find(Capability.parse("compute"), version), FileKind.LIB32));
    }

    @Test
    void findsBinariesAndFirmware() throws Exception {
        List<DriverFile> files = catalog.find(Capability.parse("utility,compute"), version);
        assertTrue(names(files, FileKind.BIN).containsAll(List.of("nvidia-smi", "nvidia-cuda-mps-control")));
        assertFalse(names(files, FileKind.FIRMWARE).isEmpty());
    }

    @Test
    void agreesWithTheHostOnTheDriverVersion() throws Exception {
        String kernel = KernelModuleVersion.read(roots.procRoot());
        assertEquals(version, kernel);
        assertEquals(version, catalog.installedLibraryVersion());
        new DriverVersionCheck(kernel, version, catalog.installedLibraryVersion()).verify();
    }

    @Test
    void namesEachGpusNodeWithItsMinor() throws Exception {
        NvidiaDevices devices = new NvidiaDevices(roots);
        List<Integer> minors = host.gpus().stream().map(FakeGpu::minor).toList();
        assertTrue(Files.exists(roots.inDevRoot("/dev/nvidia" + minors.get(0))), "the fake host should have made the node");
        assertEquals(minors.stream().map(m -> new DeviceNode("/dev/nvidia" + m, 195, m, DeviceType.CHAR, 0666)).toList(),
                devices.gpus(minors).stream().map(n -> new DeviceNode(n.path(), n.major(), n.minor(), n.type(), 0666)).toList());
        int uvmMajor = ProcDevices.read(roots.procRoot()).major("nvidia-uvm").orElseThrow();
        List<DeviceNode> control = devices.controlDevices();
        assertEquals(List.of("/dev/nvidiactl:195:255", "/dev/nvidia-uvm:" + uvmMajor + ":0",
                        "/dev/nvidia-uvm-tools:" + uvmMajor + ":1", "/dev/nvidia-modeset:195:254"),
                control.stream().map(n -> n.path() + ":" + n.major() + ":" + n.minor()).toList());
    }

    @Test
    void findsMigCapabilityDevicesOfAMigHost() throws Exception {
        FakeGpuHost mig = FakeGpuHost.create(dir.resolve("mig"), HostSpec.defaults().withMig(true));
        HostRoots migRoots = new HostRoots(mig.root(), mig.root(), mig.procRoot());
        NvidiaDevices devices = new NvidiaDevices(migRoots);
        Map<String, Integer> minors = devices.migMinors();
        int capsMajor = ProcDevices.read(migRoots.procRoot()).major("nvidia-caps").orElseThrow();
        // The fake host made these nodes with mknod, so this also checks their numbers by stat.
        List<DeviceNode> nodes = devices.migDevice(0, 1, 0);
        assertEquals(List.of("/dev/nvidia-caps/nvidia-cap" + minors.get("gpu0/gi1/access") + ":" + capsMajor,
                        "/dev/nvidia-caps/nvidia-cap" + minors.get("gpu0/gi1/ci0/access") + ":" + capsMajor),
                nodes.stream().map(n -> n.path() + ":" + n.major()).toList());
        assertTrue(Files.exists(migRoots.inDevRoot(nodes.get(0).path())), "the fake host should have made the node");
    }

    @Test
    void findsAnOlderDriverAndItsPersistencedSocket() throws Exception {
        FakeGpuHost old = FakeGpuHost.create(dir.resolve("old"),
                HostSpec.defaults().withDriverVersion("470.239.06").withPersistenced(true));
        DriverCatalog oldCatalog = new DriverCatalog(new HostRoots(old.root(), old.root(), old.procRoot()), Map.of());
        assertEquals("470.239.06", oldCatalog.installedLibraryVersion());
        List<DriverFile> files = oldCatalog.find(Capability.parse("utility,compute"), "470.239.06");
        assertTrue(names(files, FileKind.LIB64).containsAll(List.of("libcuda.so.470.239.06", "libnvidia-ml.so.470.239.06")),
                files.toString());
        assertTrue(names(files, FileKind.LIB64).stream().allMatch(l -> l.endsWith(".so.470.239.06")), files.toString());
        assertEquals(List.of(old.root().resolve("run/nvidia-persistenced/socket")),
                files.stream().filter(f -> f.kind() == FileKind.IPC).map(DriverFile::hostPath).toList());
    }
}
