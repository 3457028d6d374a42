package dev.nvjrun.launcher.cdi;

import dev.nvjrun.driver.catalog.DriverCatalog;
import dev.nvjrun.driver.devices.NvidiaDevices;
import dev.nvjrun.driver.edits.DriverInjection;
import dev.nvjrun.driver.request.HostGpus;
import dev.nvjrun.launcher.HostSelection;
import dev.nvjrun.launcher.Main;
import dev.nvjrun.launcher.gpu.NvmlHostFacts;
import dev.nvjrun.nvml.NvmlSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * {@code nvjrun cdi generate|list}: Container Device Interface specs for the host's GPUs, for
 * podman, containerd, CRI-O and Docker 25+ ({@code --device nvidia.com/gpu=0}).
 */
@Command(name = "cdi", description = "Write or list Container Device Interface (CDI) specs for the host's GPUs.",
        subcommands = {CdiCommand.Generate.class, CdiCommand.ListDevices.class})
public final class CdiCommand {

    /** Where CDI runtimes look, in their order: /etc/cdi for static specs, /var/run/cdi for generated ones. */
    static final List<Path> SPEC_DIRS = List.of(Path.of("/etc/cdi"), Path.of("/var/run/cdi"));

    @Command(name = "generate", description = {"Write a CDI spec: one device per GPU (its index and its UUID) and `all`,",
            "the control devices and the driver's files read-only at their host paths.",
            "As nvidia-ctk, it goes to standard output unless --output names a file, e.g. /etc/cdi/nvidia.json."})
    static final class Generate implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--output", paramLabel = "FILE", defaultValue = "-",
                description = "The file to write atomically, or - for standard output (default).")
        String output;

        @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "json",
                description = "json (default; every CDI runtime reads it). YAML is not written.")
        String format;

        @Option(names = "--vendor", paramLabel = "VENDOR", defaultValue = "nvidia.com",
                description = "Vendor of the device kind (default: ${DEFAULT-VALUE}).")
        String vendor;

        @Option(names = "--class", paramLabel = "CLASS", defaultValue = "gpu",
                description = "Class of the device kind (default: ${DEFAULT-VALUE}).")
        String deviceClass;

        @Override
        public Integer call() throws Exception {
            if (!format.equals("json")) {
                throw new CdiException("--format " + format + " is not supported: nvjrun writes CDI specs as JSON,"
                        + " which podman, containerd and CRI-O read as well as YAML");
            }
            String kind = DeviceKind.of(vendor, deviceClass);
            HostSelection host = Main.of(spec).host();
            HostGpus gpus;
            DriverCatalog catalog = host.catalog();
            try (NvmlSession nvml = host.openNvml(catalog)) {
                gpus = NvmlHostFacts.gpus(nvml);
            }
            var injection = new DriverInjection(host.roots(), catalog, new NvidiaDevices(host.roots()),
                    gpus.driver().driverVersion());
            CdiSpec cdi = new CdiSpecGenerator(host.roots(), injection).generate(gpus, kind);
            SpecFile file = new SpecFile();
            if (output.equals("-")) {
                spec.commandLine().getOut().print(file.toJson(cdi));
                spec.commandLine().getOut().flush();
            } else {
                file.write(cdi, Path.of(output));
                spec.commandLine().getErr().println("nvjrun: wrote " + cdi.devices().size() + " CDI devices of "
                        + kind + " to " + Path.of(output).toAbsolutePath());
            }
            return 0;
        }
    }

    @Command(name = "list", description = "Print the fully qualified names (vendor/class=name) of the devices in CDI specs.")
    static final class ListDevices implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--spec-dir", paramLabel = "DIR",
                description = "A directory of specs to read (repeatable; default: /etc/cdi and /var/run/cdi).")
        List<Path> dirs;

        @Parameters(paramLabel = "FILE", arity = "0..*", description = "Spec files to read instead of the directories.")
        List<Path> files;

        @Override
        public Integer call() throws Exception {
            SpecFile reader = new SpecFile();
            List<String> names = new ArrayList<>();
            for (Path file : specFiles()) {
                names.addAll(reader.read(file).qualifiedNames());
            }
            var out = spec.commandLine().getOut();
            names.forEach(out::println);
            out.flush();
            return 0;
        }

        private List<Path> specFiles() throws CdiException {
            if (files != null && !files.isEmpty()) {
                return files;
            }
            List<Path> found = new ArrayList<>();
            for (Path dir : dirs != null ? dirs : SPEC_DIRS) {
                if (!Files.isDirectory(dir)) {
                    continue;
                }
                try (Stream<Path> entries = Files.list(dir)) {
                    entries.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().forEach(found::add);
                } catch (IOException e) {
                    throw new CdiException("cannot list " + dir + " (" + e.getMessage() + ")", e);
                }
            }
            return found;
        }
    }
}
