package dev.nvjrun.launcher.volume;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.nvjrun.driver.DriverDiscoveryException;
import dev.nvjrun.driver.catalog.DriverCatalog;
import dev.nvjrun.launcher.Main;
import dev.nvjrun.plugin.host.DriverVolumeFiles;
import dev.nvjrun.plugin.host.VolumeDir;
import dev.nvjrun.plugin.volume.DriverVolume;
import dev.nvjrun.plugin.volume.InstalledVolume;
import dev.nvjrun.plugin.volume.VolumeException;
import dev.nvjrun.plugin.volume.VolumeName;
import dev.nvjrun.plugin.volume.VolumeStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code nvjrun volume ls|inspect|create|rm}: the plugin's driver volumes, without the daemon. Uses
 * the same store and the same file choice as the plugin, so Docker sees what these commands made.
 */
@Command(name = "volume", description = "Manage the driver volumes the plugin serves to Docker.",
        subcommands = {VolumeCommand.Ls.class, VolumeCommand.Inspect.class, VolumeCommand.Create.class, VolumeCommand.Rm.class})
public final class VolumeCommand implements Runnable {

    /** The plugin's name as Docker knows it. */
    static final String DRIVER = "nvidia-docker";

    @Spec
    CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, scope = ScopeType.INHERIT, description = "Show this help.")
    boolean help;

    @Option(names = {"-d", "--volumes"}, paramLabel = "DIR", defaultValue = "/var/lib/nvidia-docker/volumes", scope = ScopeType.INHERIT,
            description = "Where driver volumes live (default: ${DEFAULT-VALUE}); the plugin's --volumes.")
    Path volumes;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "a volume command is required: ls, inspect, create or rm");
    }

    VolumeStore store() {
        return new VolumeStore(volumes);
    }

    @Command(name = "ls", description = "List the driver volumes of every version.")
    static final class Ls implements Callable<Integer> {
        @ParentCommand
        VolumeCommand parent;
        @Spec
        CommandSpec spec;

        @Option(names = {"-q", "--quiet"}, description = "Print only the volume names.")
        boolean quiet;

        @Override
        public Integer call() throws VolumeException {
            PrintWriter out = spec.commandLine().getOut();
            List<InstalledVolume> all = parent.store().list();
            if (!quiet) {
                out.printf("%-16s%s%n", "DRIVER", "VOLUME NAME");
            }
            for (InstalledVolume volume : all) {
                out.println(quiet ? volume.dockerName() : String.format("%-16s%s", DRIVER, volume.dockerName()));
            }
            out.flush();
            return 0;
        }
    }

    @Command(name = "inspect", description = "Show volumes as JSON: where they are and what they hold.")
    static final class Inspect implements Callable<Integer> {
        @ParentCommand
        VolumeCommand parent;
        @Spec
        CommandSpec spec;

        @Parameters(arity = "1..*", paramLabel = "NAME", description = "Volume names, for example nvidia_driver_550.54.15.")
        List<String> names;

        @Override
        public Integer call() throws Exception {
            VolumeStore store = parent.store();
            List<Map<String, Object>> out = new ArrayList<>();
            for (String name : names) {
                InstalledVolume volume = store.find(VolumeName.parse(name)).orElseThrow(() -> new VolumeException(
                        "no such volume: " + name + " is not in " + store.root() + ". Create it with nvjrun volume create"));
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("Name", volume.dockerName());
                entry.put("Driver", DRIVER);
                entry.put("Mountpoint", volume.path().toString());
                entry.put("Scope", "local");
                Map<String, List<String>> files = new LinkedHashMap<>();
                for (VolumeDir dir : VolumeDir.values()) {
                    files.put(dir.dirName(), store.entries(volume, dir));
                }
                entry.put("Files", files);
                out.add(entry);
            }
            PrintWriter writer = spec.commandLine().getOut();
            writer.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(out));
            writer.flush();
            return 0;
        }
    }

    @Command(name = "create", description = "Build the driver volume from the host's driver files (default: nvidia_driver_<running version>).")
    static final class Create implements Callable<Integer> {
        @ParentCommand
        VolumeCommand parent;
        @Spec
        CommandSpec spec;

        @Parameters(arity = "0..1", paramLabel = "NAME", description = "nvidia_driver_<version>; the version must be the host driver's.")
        String name;

        @Override
        public Integer call() throws VolumeException, DriverDiscoveryException {
            DriverCatalog catalog = Main.of(spec).host().catalog();
            String installed = catalog.installedLibraryVersion();
            VolumeName wanted = name == null ? new VolumeName(DriverVolume.NVIDIA_DRIVER, installed) : VolumeName.parse(name);
            if (!wanted.version().equals(installed)) {
                throw new VolumeException("cannot create " + wanted.dockerName() + ": the host driver is version "
                        + installed + ", and a volume holds only the installed driver's files. Create "
                        + wanted.volume().dockerName(installed) + " instead");
            }
            InstalledVolume volume = parent.store().create(wanted.volume(), installed,
                    new DriverVolumeFiles(catalog).forVolume(wanted.volume().name(), installed));
            spec.commandLine().getOut().println(volume.dockerName());
            spec.commandLine().getOut().flush();
            return 0;
        }
    }

    @Command(name = "rm", description = "Remove driver volumes (stop the containers that use them first).")
    static final class Rm implements Callable<Integer> {
        @ParentCommand
        VolumeCommand parent;
        @Spec
        CommandSpec spec;

        @Parameters(arity = "1..*", paramLabel = "NAME", description = "Volume names, for example nvidia_driver_550.54.15.")
        List<String> names;

        @Override
        public Integer call() throws VolumeException {
            VolumeStore store = parent.store();
            // Check every name first, so that a typo in the second name does not leave the first removed.
            List<VolumeName> parsed = new ArrayList<>();
            for (String name : names) {
                VolumeName volume = VolumeName.parse(name);
                if (store.find(volume).isEmpty()) {
                    throw new VolumeException("no such volume: " + name + " is not in " + store.root()
                            + ". See nvjrun volume ls");
                }
                parsed.add(volume);
            }
            for (VolumeName volume : parsed) {
                store.remove(volume);
                spec.commandLine().getOut().println(volume.dockerName());
            }
            spec.commandLine().getOut().flush();
            return 0;
        }
    }
}
