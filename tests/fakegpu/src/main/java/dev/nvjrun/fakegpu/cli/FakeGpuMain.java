package dev.nvjrun.fakegpu.cli;

import dev.nvjrun.fakegpu.Failure;
import dev.nvjrun.fakegpu.FakeGpu;
import dev.nvjrun.fakegpu.FakeGpuHost;
import dev.nvjrun.fakegpu.HostSpec;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code nvjrun-fakegpu}: builds simulated GPU hosts and injects NVML failures into them.
 * Exit status 0 on success, 2 for usage errors, 1 for any other failure, with one sentence on
 * stderr.
 */
@Command(name = "nvjrun-fakegpu", mixinStandardHelpOptions = true, version = "nvjrun-fakegpu 0.1.0",
        description = "Builds a simulated NVIDIA GPU host (mock NVML, driver files, device nodes, proc files).",
        subcommands = {FakeGpuMain.Create.class, FakeGpuMain.Inject.class})
public final class FakeGpuMain implements Callable<Integer> {

    static final int EXIT_FAILURE = 1;
    static final int EXIT_USAGE = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec commandSpec;

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the command line with the given streams and returns the exit status. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new FakeGpuMain());
        cli.setOut(out);
        cli.setErr(err);
        cli.setParameterExceptionHandler((e, arguments) -> {
            err.println("nvjrun-fakegpu: " + e.getMessage() + "; see nvjrun-fakegpu --help");
            return EXIT_USAGE;
        });
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof IllegalArgumentException) {
                err.println("nvjrun-fakegpu: " + e.getMessage());
                return EXIT_USAGE;
            }
            err.println("nvjrun-fakegpu: " + e.getMessage());
            return EXIT_FAILURE;
        });
        return cli.execute(args);
    }

    @Override
    public Integer call() {
        throw new CommandLine.ParameterException(commandSpec.commandLine(), "a subcommand is required (create or inject)");
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Creates a fake GPU host in DIR (which must be absent or empty).")
    static final class Create implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec commandSpec;

        @Parameters(index = "0", paramLabel = "DIR", description = "Directory to become the fake host's root.")
        Path dir;

        @Option(names = "--gpus", paramLabel = "N", description = "Number of GPUs (default 2).")
        Integer gpus;

        @Option(names = "--model", paramLabel = "NAME", description = "GPU model name.")
        String model;

        @Option(names = "--driver-version", paramLabel = "V", description = "Driver version, e.g. 550.54.15.")
        String driverVersion;

        @Option(names = "--cuda-version", paramLabel = "V", description = "CUDA version, e.g. 12.4.")
        String cudaVersion;

        @Option(names = "--mig", description = "Enable MIG with two MIG devices per GPU.")
        boolean mig;

        @Option(names = "--legacy-driver", description = "Use the mock of an old driver lacking newer NVML symbols.")
        boolean legacyDriver;

        @Option(names = "--persistenced", description = "Bind run/nvidia-persistenced/socket.")
        boolean persistenced;

        @Option(names = "--config", paramLabel = "gpus.json", description = "Use this GPU description as is.")
        Path config;

        @Override
        public Integer call() throws IOException {
            HostSpec spec = HostSpec.defaults();
            if (gpus != null) {
                spec = spec.withGpus(gpus);
            }
            if (model != null) {
                spec = spec.withModel(model);
            }
            if (driverVersion != null) {
                spec = spec.withDriverVersion(driverVersion);
            }
            if (cudaVersion != null) {
                spec = spec.withCudaVersion(cudaVersion);
            }
            spec = spec.withMig(mig).withLegacyDriver(legacyDriver).withPersistenced(persistenced);
            if (config != null) {
                spec = spec.withConfig(config);
            }
            FakeGpuHost host = FakeGpuHost.create(dir, spec);
            PrintWriter out = commandSpec.commandLine().getOut();
            out.println("created fake GPU host " + host.root() + " (driver " + host.spec().driverVersion() + ")");
            for (FakeGpu gpu : host.gpus()) {
                out.println("  gpu " + gpu.index() + ": " + gpu.name() + " " + gpu.uuid() + " " + gpu.pciBusId()
                        + " /dev/nvidia" + gpu.minor());
            }
            out.println("environment: . " + host.envFile());
            return 0;
        }
    }

    @Command(name = "inject", mixinStandardHelpOptions = true,
            description = "Makes the mock NVML of the host in DIR show a failure from its next nvmlInit.")
    static final class Inject implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec commandSpec;

        @Parameters(index = "0", paramLabel = "DIR", description = "A directory made by nvjrun-fakegpu create.")
        Path dir;

        @Parameters(index = "1", paramLabel = "FAILURE",
                description = "init-fails=CODE, driver-not-loaded, gpu-lost=INDEX, not-supported=FUNCTION or clear.")
        String failure;

        @Override
        public Integer call() throws IOException {
            FakeGpuHost host = FakeGpuHost.open(dir);
            if (failure.equals("clear")) {
                host.clearFailures();
                commandSpec.commandLine().getOut().println("cleared failures of " + host.root());
                return 0;
            }
            host.injectFailure(Failure.parse(failure));
            commandSpec.commandLine().getOut().println("injected " + failure + " into " + host.configFile());
            return 0;
        }
    }
}
