package dev.nvjrun.launcher.container;

import dev.nvjrun.runtime.container.ContainerException;
import dev.nvjrun.runtime.container.ContainerRuntime;
import dev.nvjrun.runtime.container.ContainerState;
import dev.nvjrun.runtime.container.RunResult;
import dev.nvjrun.runtime.container.Stdio;
import dev.nvjrun.runtime.snapshot.WriteDurability;
import dev.nvjrun.runtime.spec.Terminal;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * {@code nvjrun run [OPTIONS] IMAGE [COMMAND...]}: create and start a container; in the foreground
 * nvjrun exits with the container's status, with {@code -d} it prints the id and the container
 * outlives it.
 */
@Command(name = "run", modelTransformer = StopAtImageArguments.class, sortOptions = false,
        description = {"Create and run a container from an image.",
                "The network defaults to bridge: an own address on the host bridge, NAT outwards, -p to publish ports."})
public class RunCommand extends RuntimeCommand {
    @Option(names = {"-d", "--detach"}, description = "Run in the background and print the container id.")
    boolean detach;

    @Option(names = "--rm", description = "Remove the container when it exits.")
    boolean remove;

    @Mixin
    CreateOptions options;

    @Override
    int execute() throws Exception {
        PhaseTimer timer = PhaseTimer.fromEnvironment();
        try {
            return detach ? detached(timer) : foreground(timer);
        } finally {
            timer.print(err());
        }
    }

    private int foreground(PhaseTimer timer) {
        Terminal terminal = new TerminalFlags(options.interactive, options.tty).terminal();
        // Opening the runtime (cgroup detection, helper extraction) needs nothing from the image: use the other core.
        // A thread of its own: the common ForkJoinPool would cost more to start than the opening takes.
        FutureTask<ContainerRuntime> opening = new FutureTask<>(this::runtime);
        Thread opener = new Thread(opening, "nvjrun-runtime-open");
        opener.setDaemon(true);
        opener.start();
        ContainerCreation creation = new ContainerCreation(layout(), timer, errStream());
        // The container's process joins its cgroups a few ms after its root file system is mounted: the kernel's
        // wait for a first cgroup join (about 10 ms) is taken then, beside the spec, instead of in the helper.
        Runnable rootfsMounted = () -> readyCgroupJoin(() -> openedQuietly(opening).ifPresent(ContainerRuntime::prepareCgroupJoin));
        ContainerCreation.Prepared prepared;
        try {
            prepared = creation.prepare(options, false, remove ? WriteDurability.VOLATILE : WriteDurability.SYNCED, options.gpu.edits(spec),
                    rootfsMounted);
        } finally {
            openedQuietly(opening);
        }
        ContainerRuntime runtime = opened(opening);
        timer.mark("runtime-open");
        Stdio stdio = new Stdio(options.interactive ? null : Path.of("/dev/null"), null, null, terminal);
        out().flush();
        int stopSeconds = options.stopTimeout == null ? 10 : options.stopTimeout;
        boolean done = false;
        int status = 125;
        ContainerState created = null;
        try (ExitWithContainer exit = new ExitWithContainer(Duration.ofSeconds(stopSeconds + 60L), out(), err())) {
            try {
                created = creation.createAndAttach(runtime, prepared); // undoes itself on failure
                RunResult result = runtime.runCreated(created.id(), remove, stdio);
                timer.mark("container-run");
                done = true;
                status = result.exitCode();
                return status;
            } catch (ContainerException e) {
                status = e.exitCode();
                throw e;
            } finally {
                if (created != null && (remove || !done && !exists(runtime, prepared))) {
                    creation.tearDown(created, prepared);
                    timer.mark("teardown");
                }
                exit.finished(status);
            }
        }
    }

    /**
     * Waits for the opening to end, however it ends: the opened runtime, or empty when the opening failed (opened()
     * reports why, when the caller gets that far: a failure of its own comes first).
     */
    private static Optional<ContainerRuntime> openedQuietly(FutureTask<ContainerRuntime> opening) {
        try {
            return Optional.of(opening.get());
        } catch (ExecutionException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private static ContainerRuntime opened(FutureTask<ContainerRuntime> opening) {
        try {
            return opening.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while opening the container runtime", e);
        }
    }

    private static boolean exists(ContainerRuntime runtime, ContainerCreation.Prepared prepared) {
        return runtime.list().stream().anyMatch(s -> s.spec().rootfs().equals(prepared.rootfs().mountPoint()));
    }

    /** Runs {@code join} (ContainerRuntime.prepareCgroupJoin, which blocks ~10 ms) on a daemon thread of its own. */
    private static void readyCgroupJoin(Runnable join) {
        Thread thread = new Thread(join, "nvjrun-cgroup-join");
        thread.setDaemon(true);
        thread.start();
    }

    private int detached(PhaseTimer timer) {
        ContainerRuntime runtime = runtime();
        // As in the foreground: the kernel's first-cgroup-join wait beside the spec, not in the helper.
        Runnable rootfsMounted = () -> readyCgroupJoin(runtime::prepareCgroupJoin);
        ContainerState created = new ContainerCreation(layout(), timer, errStream()).create(runtime, options, remove, options.gpu.edits(spec),
                rootfsMounted);
        try {
            runtime.start(created.id(), options.tty ? new Terminal(0, 0, false) : null);
            timer.mark("start");
        } catch (RuntimeException e) {
            if (remove) {
                new ContainerRemoval(layout(), runtime).remove(created.id(), true);
            }
            throw e;
        }
        out().println(created.id());
        return 0;
    }
}
