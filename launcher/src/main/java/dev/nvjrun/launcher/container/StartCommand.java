package dev.nvjrun.launcher.container;

import dev.nvjrun.launcher.Main;
import dev.nvjrun.runtime.container.ContainerRuntime;
import dev.nvjrun.runtime.container.ContainerState;
import dev.nvjrun.runtime.spec.Terminal;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;

/** {@code nvjrun start [-a] CONTAINER...}: starts created or exited containers; with -a follows the output and exits with the status. */
@Command(name = "start", description = "Start one or more stopped containers.")
public class StartCommand extends RuntimeCommand {
    @Option(names = {"-a", "--attach"}, description = "Print the container's output and exit with its status.")
    boolean attach;

    @Parameters(arity = "1..*", paramLabel = "CONTAINER", description = "Names or ids (or unique id prefixes).")
    List<String> containers;

    @Override
    int execute() throws Exception {
        if (attach && containers.size() > 1) {
            throw new IllegalArgumentException("you cannot start and attach multiple containers at once; start them without -a");
        }
        ContainerRuntime runtime = runtime();
        int failures = 0;
        for (String ref : containers) {
            try {
                ContainerState state = runtime.inspect(ref);
                ContainerRootfs rootfs = ContainerRootfs.of(layout(), state.spec().rootfs());
                if (rootfs != null) {
                    rootfs.ensureMounted(layout());
                }
                boolean tty = rootfs != null && rootfs.origin().tty();
                runtime.start(state.id(), tty ? new Terminal(0, 0, false) : null);
                if (attach) {
                    out().flush();
                    Main main = Main.of(spec);
                    new LogFollower(runtime, state.id(), main.rawOut(), main.rawErr(), err(), LogFollower.Selection.ALL).copy(true);
                    return runtime.await(state.id());
                }
                out().println(ref);
            } catch (RuntimeException e) {
                if (containers.size() == 1) {
                    throw e;
                }
                err().println("nvjrun: " + e.getMessage());
                failures++;
            }
        }
        return failures == 0 ? 0 : 1;
    }
}
