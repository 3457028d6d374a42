package dev.nvjrun.fakegpu;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nvjrun.fakegpu.config.GpusFile;
import dev.nvjrun.fakegpu.config.HostDescription;
import dev.nvjrun.fakegpu.driver.DeviceNodes;
import dev.nvjrun.fakegpu.driver.DriverCatalog;
import dev.nvjrun.fakegpu.driver.DriverTree;
import dev.nvjrun.fakegpu.driver.LdCacheBuilder;
import dev.nvjrun.fakegpu.driver.Ldconfig;
import dev.nvjrun.fakegpu.driver.ProcFiles;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A simulated GPU host in a directory: driver root, device root and proc root in one tree, with
 * a mock libnvidia-ml.so answering from etc/nvjrun-fakegpu/gpus.json.
 */
public final class FakeGpuHost {

    private static final Logger LOG = LoggerFactory.getLogger(FakeGpuHost.class);
    private static final String CONFIG = "etc/nvjrun-fakegpu/gpus.json";
    private static final String LIB64 = "usr/lib/x86_64-linux-gnu";

    private final Path root;
    private final HostSpec spec;
    private final GpusFile gpusFile = new GpusFile();

    private FakeGpuHost(Path root, HostSpec spec) {
        this.root = root;
        this.spec = spec;
    }

    /**
     * Builds the host in a sibling temporary directory and renames it to {@code dir}, so that
     * {@code dir} either appears complete or not at all. {@code dir} must be absent or empty.
     */
    public static FakeGpuHost create(Path dir, HostSpec spec) throws IOException {
        return create(dir, spec, new Ldconfig());
    }

    static FakeGpuHost create(Path dir, HostSpec spec, LdCacheBuilder ldCache) throws IOException {
        Path target = dir.toAbsolutePath().normalize();
        try {
            return build(target, spec, ldCache);
        } catch (FileSystemException e) {
            throw explained("cannot create fake GPU host " + target, e);
        }
    }

    private static FakeGpuHost build(Path target, HostSpec spec, LdCacheBuilder ldCache) throws IOException {
        refuseOccupied(target);
        Path parent = target.getParent();
        Files.createDirectories(parent);
        ObjectNode description = description(spec);
        HostSpec effective = effectiveSpec(spec, description);
        Path staging = Files.createTempDirectory(parent, target.getFileName() + ".tmp-");
        try {
            // A temporary directory is private; a host root must be traversable like "/".
            Files.setPosixFilePermissions(staging, PosixFilePermissions.fromString("rwxr-xr-x"));
            FakeGpuHost host = new FakeGpuHost(target, effective);
            host.populate(staging, description, ldCache);
            try {
                Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (DirectoryNotEmptyException | FileAlreadyExistsException e) {
                throw new IOException("cannot create fake GPU host " + target
                        + ": the directory was filled while the host was built; remove it or choose another");
            }
            LOG.debug("created fake GPU host {} with {} GPUs", target, host.gpus().size());
            return host;
        } catch (IOException | RuntimeException e) {
            deleteTree(staging);
            throw e;
        }
    }

    /** Opens a host that {@link #create} made earlier (for example by the CLI). */
    public static FakeGpuHost open(Path dir) throws IOException {
        Path target = dir.toAbsolutePath().normalize();
        ObjectNode description;
        try {
            description = new GpusFile().read(target.resolve(CONFIG));
        } catch (FileSystemException e) {
            throw explained("cannot open fake GPU host " + target, e);
        }
        JsonNode recorded = description.path("host");
        HostSpec spec = HostSpec.defaults()
                .withGpus(description.path("gpus").size())
                .withModel(recorded.path("model").asText(HostSpec.defaults().model()))
                .withDriverVersion(description.path("driverVersion").asText(HostSpec.defaults().driverVersion()))
                .withCudaVersion(recorded.path("cudaVersion").asText(HostSpec.defaults().cudaVersion()))
                .withMig(recorded.path("mig").asBoolean(false))
                .withLegacyDriver(recorded.path("legacyDriver").asBoolean(false))
                .withPersistenced(recorded.path("persistenced").asBoolean(false));
        return new FakeGpuHost(target, spec);
    }

    /** DIR: the fake host's "/", both its driver root and its device root. */
    public Path root() {
        return root;
    }

    public Path procRoot() {
        return root.resolve("proc");
    }

    /** The mock NVML, DIR/usr/lib/x86_64-linux-gnu/libnvidia-ml.so.&lt;driver version&gt;. */
    public Path nvmlLibrary() {
        return root.resolve(LIB64).resolve("libnvidia-ml.so." + spec.driverVersion());
    }

    public Path configFile() {
        return root.resolve(CONFIG);
    }

    public Path envFile() {
        return root.resolve("nvjrun.env");
    }

    public HostSpec spec() {
        return spec;
    }

    /** The variables that point nvjrun at this host instead of the real one. */
    public Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("NVJRUN_DRIVER_ROOT", root.toString());
        env.put("NVJRUN_DEV_ROOT", root.toString());
        env.put("NVJRUN_PROC_ROOT", procRoot().toString());
        env.put("NVJRUN_NVML_LIBRARY", nvmlLibrary().toString());
        env.put("NVJRUN_FAKEGPU_CONFIG", configFile().toString());
        return Collections.unmodifiableMap(env);
    }

    /** The GPUs as gpus.json describes them now. */
    public List<FakeGpu> gpus() {
        try {
            return new HostDescription().gpus(gpusFile.read(configFile()));
        } catch (IOException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** Records a failure in gpus.json; the mock shows it from the next nvmlInit on. */
    public void injectFailure(Failure failure) throws IOException {
        try {
            ObjectNode description = gpusFile.read(configFile());
            gpusFile.apply(configFile(), description, failure);
            gpusFile.write(configFile(), description);
        } catch (FileSystemException e) {
            throw explained("cannot inject a failure into " + configFile(), e);
        }
    }

    /** Removes every injected failure from gpus.json. */
    public void clearFailures() throws IOException {
        try {
            ObjectNode description = gpusFile.read(configFile());
            gpusFile.clear(description);
            gpusFile.write(configFile(), description);
        } catch (FileSystemException e) {
            throw explained("cannot clear the failures of " + configFile(), e);
        }
    }

    private void populate(Path staging, ObjectNode description, LdCacheBuilder ldCache) throws IOException {
        DriverCatalog catalog = new DriverCatalog(spec.driverVersion());
        String mock = spec.legacyDriver() ? "/native/libnvidia-ml-legacy.so" : "/native/libnvidia-ml.so";
        new DriverTree(catalog).write(staging, mock, spec.persistenced());
        Path config = staging.resolve(CONFIG);
        Files.createDirectories(config.getParent());
        gpusFile.write(config, description);
        List<FakeGpu> gpus = new HostDescription().gpus(description);
        ProcFiles.write(staging.resolve("proc"), spec.driverVersion(), gpus, spec.mig());
        DeviceNodes.create(staging, DeviceNodes.forHost(gpus.stream().map(FakeGpu::minor).toList(),
                migCapMinors(description)));
        Files.writeString(staging.resolve("nvjrun.env"), envFileText());
        ldCache.build(staging);
    }

    private String envFileText() {
        StringBuilder text = new StringBuilder("# nvjrun-fakegpu: source this file to point nvjrun at the fake host\n");
        for (Map.Entry<String, String> entry : environment().entrySet()) {
            text.append("export ").append(entry.getKey()).append('=')
                    .append(shellQuote(entry.getValue())).append('\n');
        }
        return text.toString();
    }

    private static String shellQuote(String value) {
        return "'" + value.replace("'", "'\\''") + "'";
    }

    private static List<Integer> migCapMinors(ObjectNode description) {
        List<Integer> minors = new ArrayList<>();
        JsonNode gpus = description.path("gpus");
        boolean any = false;
        for (int g = 0; g < gpus.size(); g++) {
            for (JsonNode mig : gpus.get(g).path("mig").path("devices")) {
                any = true;
                int gi = mig.path("gpuInstanceId").asInt();
                int ci = mig.path("computeInstanceId").asInt();
                minors.add(ProcFiles.gpuInstanceAccessMinor(g, gi));
                minors.add(ProcFiles.computeInstanceAccessMinor(g, gi, ci));
            }
        }
        if (any) {
            minors.add(0, 2);
            minors.add(0, 1);
        }
        return minors.stream().distinct().toList();
    }

    private static ObjectNode description(HostSpec spec) throws IOException {
        if (spec.config().isPresent()) {
            return new GpusFile().read(spec.config().get());
        }
        ObjectNode description = new HostDescription().describe(spec);
        ObjectNode host = description.putObject("host");
        host.put("model", spec.model()).put("cudaVersion", spec.cudaVersion()).put("mig", spec.mig())
                .put("legacyDriver", spec.legacyDriver()).put("persistenced", spec.persistenced());
        return description;
    }

    /** A user-written gpus.json decides the GPU count and the driver version. */
    private static HostSpec effectiveSpec(HostSpec spec, ObjectNode description) {
        HostSpec effective = spec.withGpus(description.path("gpus").size());
        if (description.path("driverVersion").isTextual()) {
            effective = effective.withDriverVersion(description.get("driverVersion").asText());
        } else {
            description.put("driverVersion", spec.driverVersion());
        }
        return effective;
    }

    private static void refuseOccupied(Path target) throws IOException {
        if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (!Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException("cannot create fake GPU host " + target
                    + ": it exists and is not a directory; remove it or choose another path");
        }
        try (Stream<Path> entries = Files.list(target)) {
            if (entries.findAny().isPresent()) {
                throw new IOException("cannot create fake GPU host " + target
                        + ": the directory is not empty; remove it or choose another path");
            }
        }
    }

    /** Turns a bare file-system error (whose message is only a path) into one sentence. */
    private static IOException explained(String what, FileSystemException e) {
        String reason = switch (e) {
            case FileAlreadyExistsException x -> "a file is in the way";
            case NoSuchFileException x -> "it does not exist";
            case AccessDeniedException x -> "permission denied";
            case NotDirectoryException x -> "it is not a directory";
            default -> e.getReason() == null ? e.getClass().getSimpleName() : e.getReason();
        };
        return new IOException(what + ": " + reason + " at " + e.getFile() + "; check the path and its permissions", e);
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            LOG.warn("could not remove the unfinished fake GPU host {}: {}", dir, e.getMessage());
        }
    }
}
