package dev.nvjrun.driver.catalog;

import dev.nvjrun.driver.DriverDiscoveryException;
import dev.nvjrun.driver.HostRoots;
import dev.nvjrun.driver.elf.ElfClass;
import dev.nvjrun.driver.elf.ElfFile;
import dev.nvjrun.driver.elf.ElfFormatException;
import dev.nvjrun.driver.ldcache.LdCache;
import dev.nvjrun.driver.ldcache.LdCacheEntry;
import dev.nvjrun.driver.ldcache.LdCacheException;
import dev.nvjrun.driver.ldcache.LibraryArch;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the host driver's files for a set of capabilities, the way libnvidia-container does:
 * libraries through the driver root's ld.so.cache, keeping only files of the running driver
 * version; binaries from the root's PATH directories; GSP firmware; IPC sockets.
 */
public final class DriverCatalog {

    static final String NVML_SONAME = "libnvidia-ml.so.1";
    static final String PERSISTENCED_SOCKET = "/run/nvidia-persistenced/socket";
    static final String FABRICMANAGER_SOCKET = "/run/nvidia-fabricmanager/socket";
    static final String DEFAULT_MPS_PIPE_DIR = "/tmp/nvidia-mps";
    private static final Logger LOG = LoggerFactory.getLogger(DriverCatalog.class);

    private final HostRoots roots;
    private final Map<String, String> environment;
    private final LibraryArch arch;
    /** The cache as first read: NVML's path, the driver's version and the file list all ask it, once per catalog. */
    private LdCache cache;

    /**
     * @param environment the caller's environment, consulted for CUDA_MPS_PIPE_DIRECTORY
     */
    public DriverCatalog(HostRoots roots, Map<String, String> environment) {
        this(roots, environment, LibraryArch.host());
    }

    /** @param arch the ABI of the host's libraries (the driver root may belong to another machine in tests) */
    public DriverCatalog(HostRoots roots, Map<String, String> environment, LibraryArch arch) {
        this.roots = roots;
        this.environment = Map.copyOf(environment);
        this.arch = arch;
    }

    /** The driver root's ld.so.cache. */
    public Path cacheFile() {
        return roots.inDriverRoot("/etc/ld.so.cache");
    }

    /**
     * The cache, read on first use, checked to hold a driver at all (libnvidia-ml.so.1 for the host's ABI). A
     * catalog reads it once: make a new catalog to see an ldconfig run since.
     */
    public synchronized LdCache cache() throws DriverDiscoveryException {
        if (cache == null) {
            cache = readCache();
        }
        return cache;
    }

    private LdCache readCache() throws DriverDiscoveryException {
        Path file = cacheFile();
        if (!Files.exists(file)) {
            throw new DriverNotFoundException("no NVIDIA driver found: " + file + " does not exist (driver root "
                    + roots.driverRoot() + "). Install the driver, run ldconfig, or set --driver-root");
        }
        LdCache cache;
        try {
            cache = LdCache.read(file);
        } catch (LdCacheException e) {
            throw new DriverNotFoundException(e.getMessage(), e);
        }
        if (cache.lookup(NVML_SONAME, arch).isEmpty()) {
            throw new DriverNotFoundException("no NVIDIA driver found: " + NVML_SONAME + " for " + arch.name().toLowerCase() + " is not in " + file
                    + " (driver root " + roots.driverRoot() + "). Install the driver or set --driver-root");
        }
        return cache;
    }

    /**
     * The host file of libnvidia-ml.so.1 that the dynamic linker would load (first x86_64 entry of
     * the driver root's cache), as libnvidia-container finds it before it dlopens NVML.
     */
    public Path nvmlLibrary() throws DriverDiscoveryException {
        LdCacheEntry nvml = cache().lookup(NVML_SONAME, arch).orElseThrow();
        return resolve(nvml.path()).orElseThrow(() -> new DriverNotFoundException("no NVIDIA driver found: "
                + cacheFile() + " lists " + nvml.path() + " but it does not exist under " + roots.driverRoot()
                + ". Reinstall the driver or run ldconfig"));
    }

    /** The version in the file name libnvidia-ml.so.1 points to (libnvidia-ml.so.VERSION). */
    public String installedLibraryVersion() throws DriverDiscoveryException {
        LdCacheEntry nvml = cache().lookup(NVML_SONAME, arch).orElseThrow();
        Path real = resolve(nvml.path()).orElseThrow(() -> new DriverNotFoundException("no NVIDIA driver found: "
                + cacheFile() + " lists " + nvml.path() + " but it does not exist under " + roots.driverRoot()
                + ". Reinstall the driver or run ldconfig"));
        String name = real.getFileName().toString();
        if (!name.matches("libnvidia-ml\\.so\\.\\d+(\\.\\d+)+")) {
            throw new DriverNotFoundException("cannot tell the driver version: " + nvml.path() + " resolves to " + real
                    + ", not to libnvidia-ml.so.<version>. Reinstall the driver");
        }
        return name.substring("libnvidia-ml.so.".length());
    }

    /**
     * The files for {@code capabilities} of driver {@code version} (e.g. "550.54.15"). Libraries come
     * first in capability order, then binaries, firmware, IPC sockets and display devices.
     */
    public List<DriverFile> find(Set<Capability> capabilities, String version) throws DriverDiscoveryException {
        LdCache cache = cache();
        List<DriverFile> out = new ArrayList<>();
        Set<Path> seen = new HashSet<>();
        for (Capability cap : Capability.values()) {
            if (!capabilities.contains(cap)) {
                continue;
            }
            for (String stem : DriverLibraries.LIBS.getOrDefault(cap, List.of())) {
                addLibrary(out, seen, cache, stem, cap, arch, version);
                if (capabilities.contains(Capability.COMPAT32) && arch.compat32().isPresent()) {
                    addLibrary(out, seen, cache, stem, cap, arch.compat32().get(), version);
                }
            }
        }
        for (Capability cap : Capability.values()) {
            if (capabilities.contains(cap)) {
                for (String bin : DriverLibraries.BINS.getOrDefault(cap, List.of())) {
                    findBinary(bin).filter(seen::add)
                            .ifPresent(p -> out.add(new DriverFile(p, cap, FileKind.BIN, Optional.empty())));
                }
            }
        }
        if (!capabilities.isEmpty()) {
            out.addAll(firmware(version));
            ipc(PERSISTENCED_SOCKET, Capability.UTILITY).ifPresent(out::add);
            ipc(FABRICMANAGER_SOCKET, Capability.UTILITY).ifPresent(out::add);
        }
        if (capabilities.contains(Capability.COMPUTE)) {
            ipc(environment.getOrDefault("CUDA_MPS_PIPE_DIRECTORY", DEFAULT_MPS_PIPE_DIR), Capability.COMPUTE)
                    .ifPresent(out::add);
        }
        if (capabilities.contains(Capability.DISPLAY)) {
            Path modeset = roots.inDevRoot("/dev/nvidia-modeset");
            if (Files.exists(modeset)) {
                out.add(new DriverFile(modeset, Capability.DISPLAY, FileKind.DEVICE, Optional.empty()));
            }
        }
        return List.copyOf(out);
    }

    private void addLibrary(List<DriverFile> out, Set<Path> seen, LdCache cache, String stem, Capability cap,
                            LibraryArch libraryArch, String version) throws DriverDiscoveryException {
        for (LdCacheEntry entry : cache.withNameStem(stem, libraryArch)) {
            Optional<Path> real = resolve(entry.path());
            if (real.isEmpty()) {
                LOG.warn("{} lists {} for {} but it does not exist under {}", cacheFile(), entry.path(), entry.name(),
                        roots.driverRoot());
                continue;
            }
            Optional<ElfFile> chosen = select(real.get(), stem, libraryArch, version);
            if (chosen.isPresent()) {
                if (seen.add(real.get())) {
                    FileKind kind = libraryArch == arch ? FileKind.LIB64 : FileKind.LIB32;
                    out.add(new DriverFile(real.get(), cap, kind, chosen.get().soname()));
                }
                return;
            }
        }
        LOG.debug("no {} library {} of driver {} in {}", libraryArch, stem, version, cacheFile());
    }

    /** libnvidia-container's select_libraries: the ELF of a library that belongs to this driver, or empty. */
    private Optional<ElfFile> select(Path file, String stem, LibraryArch libraryArch, String version)
            throws DriverDiscoveryException {
        String name = file.getFileName().toString();
        boolean ownVersion = DriverLibraries.INDEPENDENTLY_VERSIONED.contains(stem)
                && name.matches(Pattern.quote(stem) + "(\\.\\d+)+");
        if (!ownVersion && !name.equals(stem + "." + version)) {
            LOG.debug("skipping {}: not of driver version {}", file, version);
            return Optional.empty();
        }
        ElfFile elf;
        try {
            elf = ElfFile.read(file);
        } catch (ElfFormatException e) {
            throw new DriverDiscoveryException(e.getMessage(), e);
        }
        ElfClass wanted = libraryArch == arch ? ElfClass.ELF64 : ElfClass.ELF32;
        if (elf.elfClass() != wanted) {
            LOG.debug("skipping {}: {} but the cache lists it as {}", file, elf.elfClass(), libraryArch);
            return Optional.empty();
        }
        // Old drivers also shipped a libnvidia-tls for the pre-NPTL ABI; only the one tagged for
        // kernel 2.3.99 works with today's glibc.
        if (stem.equals("libnvidia-tls.so") && !elf.abiTag().map(t -> t.isLinux(2, 3, 99)).orElse(false)) {
            LOG.debug("skipping {}: not built for the new TLS ABI", file);
            return Optional.empty();
        }
        if (DriverLibraries.SHARED_GL_NAMES.contains(stem)
                && DriverLibraries.NVIDIA_GL_DEPENDENCIES.stream().noneMatch(elf::needsLibraryStartingWith)) {
            LOG.debug("skipping {}: not NVIDIA's build (links none of {})", file, DriverLibraries.NVIDIA_GL_DEPENDENCIES);
            return Optional.empty();
        }
        return Optional.of(elf);
    }

    private Optional<Path> findBinary(String name) throws DriverDiscoveryException {
        for (String dir : DriverLibraries.BIN_DIRS) {
            Optional<Path> p = resolve(dir + "/" + name);
            if (p.isPresent() && Files.isRegularFile(p.get())) {
                return p;
            }
        }
        return Optional.empty();
    }

    private List<DriverFile> firmware(String version) throws DriverDiscoveryException {
        Path dir = roots.inDriverRoot("/lib/firmware/nvidia/" + version);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        TreeSet<Path> files = new TreeSet<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "gsp*.bin")) {
            ds.forEach(files::add);
        } catch (IOException e) {
            throw new DriverDiscoveryException("cannot list the GSP firmware in " + dir + " (" + e.getMessage()
                    + "). Check its permissions", e);
        }
        return files.stream().map(p -> new DriverFile(p, Capability.UTILITY, FileKind.FIRMWARE, Optional.empty())).toList();
    }

    private Optional<DriverFile> ipc(String path, Capability cap) throws DriverDiscoveryException {
        return resolve(path).map(p -> new DriverFile(p, cap, FileKind.IPC, Optional.empty()));
    }

    private Optional<Path> resolve(String absolutePath) throws DriverDiscoveryException {
        try {
            return RootedPath.resolve(roots.driverRoot(), absolutePath);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new DriverDiscoveryException("cannot resolve " + absolutePath + " under the driver root "
                    + roots.driverRoot() + " (" + e.getMessage() + "). Check the driver installation", e);
        }
    }
}
