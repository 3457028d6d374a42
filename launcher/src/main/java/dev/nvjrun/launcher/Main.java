package dev.nvjrun.launcher;

import dev.nvjrun.driver.HostRoots;
import dev.nvjrun.launcher.container.StartWarmup;
import dev.nvjrun.launcher.wrapper.DockerWrapper;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.nio.file.Path;

/**
 * The {@code nvjrun} command line. Global options are inherited by every subcommand, so
 * {@code nvjrun --debug gpu info} and {@code nvjrun gpu info --debug} mean the same.
 */
@Command(name = "nvjrun",
        description = "Runs GPU containers: discovers the host's GPUs and driver files and hands them to containers.",
        // Subcommands are registered per command line by CommandSet, not here (start-up time).
        mixinStandardHelpOptions = true,
        versionProvider = VersionCommand.Provider.class,
        usageHelpAutoWidth = true,
        footer = {"", "Wrapper mode: nvjrun --engine docker ARGS... (or NV_DOCKER=docker) behaves like nvidia-docker 1.0:",
                "create/run get the GPU devices and driver volume (NV_GPU selects GPUs, NV_HOST a remote plugin);",
                "every other command goes to docker unchanged."})
public final class Main implements Runnable {

    @Option(names = "--debug", scope = ScopeType.INHERIT,
            description = "Print stack traces and debug logs.")
    boolean debug;

    @Option(names = "--driver-root", scope = ScopeType.INHERIT, paramLabel = "DIR",
            defaultValue = "${env:NVJRUN_DRIVER_ROOT:-/}",
            description = "Root of the host's driver installation (default: ${DEFAULT-VALUE}; env NVJRUN_DRIVER_ROOT).")
    Path driverRoot;

    @Option(names = "--dev-root", scope = ScopeType.INHERIT, paramLabel = "DIR",
            defaultValue = "${env:NVJRUN_DEV_ROOT:-/}",
            description = "Root under which /dev holds the NVIDIA device nodes (default: ${DEFAULT-VALUE}; env NVJRUN_DEV_ROOT).")
    Path devRoot;

    @Option(names = "--proc-root", scope = ScopeType.INHERIT, paramLabel = "DIR",
            defaultValue = "${env:NVJRUN_PROC_ROOT:-/proc}",
            description = "The proc file system to read driver state from (default: ${DEFAULT-VALUE}; env NVJRUN_PROC_ROOT).")
    Path procRoot;

    @Option(names = "--nvml-library", scope = ScopeType.INHERIT, paramLabel = "FILE",
            defaultValue = "${env:NVJRUN_NVML_LIBRARY}",
            description = "Use this libnvidia-ml instead of the one the driver root's ld.so.cache names (env NVJRUN_NVML_LIBRARY).")
    Path nvmlLibrary;

    @Option(names = "--root", scope = ScopeType.INHERIT, paramLabel = "DIR",
            defaultValue = "${env:NVJRUN_ROOT:-/var/lib/nvjrun}",
            description = "Where images, layers and containers are kept (default: ${DEFAULT-VALUE}; env NVJRUN_ROOT).")
    Path root;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
    }

    /** Standard output as bytes, for output that must not pass through a charset (ldconfig -p). */
    private OutputStream rawOut;
    private OutputStream rawErr;
    private Map<String, String> environment = Map.of();

    public static void main(String[] args) {
        int status = execute(args, System.out, System.err);
        System.out.flush();
        System.err.flush();
        // halt, not exit. Nothing of nvjrun's is left to run at exit: its shutdown hooks are removed when
        // the work they guard ends, and a signal still runs them (the JVM's own exit). System.exit would
        // first ask the JDK's System.Logger whether to log the exit (JDK 17+), which starts
        // java.util.logging and searches every jar for a LoggerFinder: 8.7 ms of `nvjrun version`.
        Runtime.getRuntime().halt(status);
    }

    /** Runs one command line and returns its exit status; the seam the tests use. */
    public static int execute(String[] args, OutputStream out, OutputStream err) {
        return execute(args, out, err, System.getenv());
    }

    static int execute(String[] args, OutputStream out, OutputStream err, Map<String, String> env) {
        Engine engine;
        try {
            engine = Engine.select(List.of(args), env);
        } catch (IllegalArgumentException e) {
            PrintWriter errWriter = new PrintWriter(new OutputStreamWriter(err, StandardCharsets.UTF_8), true);
            errWriter.println("nvjrun: " + e.getMessage());
            return ErrorPath.OWN_FAILURE;
        }
        if (engine.docker()) {
            return runWrapped(engine.args(), out, err, env);
        }
        args = engine.args().toArray(String[]::new);
        // Work every container start needs, on the other core while picocli builds the model below.
        StartWarmup.beginIfStarting(CommandSet.forArguments(List.of(args)));
        Main main = new Main();
        main.rawOut = out;
        main.rawErr = err;
        main.environment = env;
        CommandLine cli = new CommandLine(MainModel.of(main));
        CommandSet.register(cli, List.of(args));
        cli.setOut(new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), true));
        PrintWriter errWriter = new PrintWriter(new OutputStreamWriter(err, StandardCharsets.UTF_8), true);
        cli.setErr(errWriter);
        ErrorPath errors = new ErrorPath(errWriter, () -> main.debug);
        cli.setParameterExceptionHandler(errors::onBadUsage);
        cli.setExecutionExceptionHandler(errors::onFailure);
        int status = cli.execute(args);
        cli.getOut().flush();
        return status;
    }

    /** nvidia-docker 1.0's mode: rewrite create/run for docker, pass everything else through. */
    private static int runWrapped(List<String> args, OutputStream out, OutputStream err, Map<String, String> env) {
        PrintWriter outWriter = new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), true);
        PrintWriter errWriter = new PrintWriter(new OutputStreamWriter(err, StandardCharsets.UTF_8), true);
        try {
            return DockerWrapper.configured(env, HostSelection.fromEnvironment(env), outWriter).run(args);
        } catch (Exception e) {
            return new ErrorPath(errWriter, () -> env.containsKey("NV_DEBUG")).onFailure(e, null, null);
        }
    }

    /** nvjrun's own environment (tests pass their own), for variables such as nvidia-docker 1.0's NV_GPU. */
    public Map<String, String> environment() {
        return environment;
    }

    public OutputStream rawOut() {
        return rawOut;
    }

    /** Standard error as bytes, for a container's stderr log entries. */
    public OutputStream rawErr() {
        return rawErr;
    }

    /** The host this invocation looks at, after flags and environment are applied. */
    public HostSelection host() {
        return new HostSelection(new HostRoots(driverRoot, devRoot, procRoot), nvmlLibrary);
    }

    /** The state directory of images, layers and containers. */
    public Path stateRoot() {
        return root;
    }

    /** The root command object, reached from any subcommand through its spec. */
    public static Main of(CommandLine.Model.CommandSpec spec) {
        return (Main) spec.root().userObject();
    }
}
