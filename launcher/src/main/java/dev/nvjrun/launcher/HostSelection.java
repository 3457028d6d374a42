package dev.nvjrun.launcher;

import dev.nvjrun.driver.DriverDiscoveryException;
import dev.nvjrun.driver.HostRoots;
import dev.nvjrun.driver.catalog.DriverCatalog;
import dev.nvjrun.driver.version.DriverVersionCheck;
import dev.nvjrun.driver.version.KernelModuleVersion;
import dev.nvjrun.nvml.Nvml;
import dev.nvjrun.nvml.NvmlSession;

import java.nio.file.Path;
import java.util.Map;

/**
 * Which host a command looks at: the real one ("/") or a simulated one from nvjrun-fakegpu,
 * after flags and environment are applied.
 *
 * @param nvmlLibrary explicit NVML library, or null to find it through the driver root's ld.so.cache
 */
public record HostSelection(HostRoots roots, Path nvmlLibrary) {

    /** The host the NVJRUN_* variables name (as sourced from a simulated host's nvjrun.env), else "/". */
    public static HostSelection fromEnvironment(Map<String, String> env) {
        String library = env.get("NVJRUN_NVML_LIBRARY");
        return new HostSelection(new HostRoots(Path.of(env.getOrDefault("NVJRUN_DRIVER_ROOT", "/")),
                Path.of(env.getOrDefault("NVJRUN_DEV_ROOT", "/")), Path.of(env.getOrDefault("NVJRUN_PROC_ROOT", "/proc"))),
                library == null || library.isBlank() ? null : Path.of(library));
    }

    public DriverCatalog catalog() {
        return new DriverCatalog(roots, Map.copyOf(System.getenv()));
    }

    /**
     * Opens NVML: the explicit library if one was given, else the one the driver root's cache names,
     * and checks that the kernel module, NVML and the library files are one driver version, so that
     * a driver upgraded without a reboot is reported with its fix rather than as a CUDA failure later.
     */
    public NvmlSession openNvml() throws DriverDiscoveryException {
        return openNvml(catalog());
    }

    /** {@link #openNvml()} with a catalog the caller goes on using (its ld.so.cache is then read once). */
    public NvmlSession openNvml(DriverCatalog catalog) throws DriverDiscoveryException {
        NvmlSession nvml = Nvml.open(nvmlLibrary != null ? nvmlLibrary : catalog.nvmlLibrary());
        try {
            String reported = nvml.driverVersion();
            String libraries = nvmlLibrary != null ? reported : catalog.installedLibraryVersion();
            new DriverVersionCheck(KernelModuleVersion.read(roots.procRoot()), reported, libraries).verify();
            return nvml;
        } catch (DriverDiscoveryException | RuntimeException e) {
            nvml.close();
            throw e;
        }
    }
}
