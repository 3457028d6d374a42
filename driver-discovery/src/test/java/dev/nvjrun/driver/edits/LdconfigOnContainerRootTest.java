package dev.nvjrun.driver.edits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nvjrun.driver.HostRoots;
import dev.nvjrun.driver.HostTools;
import dev.nvjrun.driver.catalog.DriverCatalog;
import dev.nvjrun.driver.devices.NvidiaDevices;
import dev.nvjrun.driver.request.GpuRequest;
import dev.nvjrun.driver.request.HostDriver;
import dev.nvjrun.driver.request.HostGpu;
import dev.nvjrun.driver.request.HostGpus;
import dev.nvjrun.driver.request.P2pTopology;
import dev.nvjrun.driver.request.RequestResolver;
import dev.nvjrun.fakegpu.FakeGpuHost;
import dev.nvjrun.fakegpu.HostSpec;
import java.util.Map;
import dev.nvjrun.driver.ldcache.LdCache;
import dev.nvjrun.driver.ldcache.LibraryArch;
import dev.nvjrun.driver.request.RequestSources;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The edits applied to a container root (copies stand in for the bind mounts) and the host's real
 * ldconfig run over it, as the runtime will: the dynamic linker then finds the driver without
 * LD_LIBRARY_PATH.
 */
class LdconfigOnContainerRootTest {

    @TempDir
    Path dir;
    @TempDir
    Path hostDir;

    private static void apply(ContainerEdits edits, Path root) throws Exception {
        for (Mount m : edits.mounts()) {
            Mount.Bind b = (Mount.Bind) m;
            Path target = root.resolve(b.containerPath().substring(1));
            Files.createDirectories(target.getParent());
            if (Files.isRegularFile(b.hostPath())) {
                Files.copy(b.hostPath(), target, StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
        for (Symlink l : edits.symlinks()) {
            Files.createSymbolicLink(root.resolve(l.containerPath().substring(1)), Path.of(l.target()));
        }
        for (ContainerFile f : edits.files()) {
            Path target = root.resolve(f.containerPath().substring(1));
            Files.createDirectories(target.getParent());
            Files.writeString(target, f.content());
        }
    }

    @Test
    void hostLdconfigResolvesCudaAndNvmlToTheMountedDriver() throws Exception {
        FakeGpuHost host = FakeGpuHost.create(hostDir.resolve("host"), HostSpec.defaults());
        HostRoots roots = new HostRoots(host.root(), host.root(), host.procRoot());
        HostGpus gpus = new HostGpus(new HostDriver(host.spec().driverVersion(), host.spec().cudaVersion()),
                host.gpus().stream().map(g -> HostGpu.of(g.index(), g.uuid(), g.minor())).toList());
        ContainerEdits edits = new DriverInjection(roots, new DriverCatalog(roots, Map.of()), new NvidiaDevices(roots),
                host.spec().driverVersion()).edits(new RequestResolver(gpus, P2pTopology.unknown())
                .resolve(GpuRequest.from(RequestSources.ofGpusFlag("all"))));
        Path root = dir.resolve("rootfs");
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/ld.so.conf"), "include /etc/ld.so.conf.d/*.conf\n");
        apply(edits, root);

        HostTools.run(edits.ldconfig().orElseThrow().command(root).toArray(String[]::new));

        LdCache cache = LdCache.read(root.resolve("etc/ld.so.cache"));
        assertEquals("/usr/local/nvidia/lib64/libcuda.so.1",
                cache.lookup("libcuda.so.1", LibraryArch.X86_64).orElseThrow().path());
        assertEquals("/usr/local/nvidia/lib64/libnvidia-ml.so.1",
                cache.lookup("libnvidia-ml.so.1", LibraryArch.X86_64).orElseThrow().path());
        String printed = new String(HostTools.run("ldconfig", "-p", "-C", root.resolve("etc/ld.so.cache").toString()),
                StandardCharsets.UTF_8);
        assertTrue(printed.contains("libcuda.so.1 (libc6,x86-64) => /usr/local/nvidia/lib64/libcuda.so.1"), printed);
        assertTrue(Files.readSymbolicLink(root.resolve("usr/local/nvidia/lib64/libcuda.so.1")).toString()
                .startsWith("libcuda.so."));
    }
}
