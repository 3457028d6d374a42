package dev.nvjrun.launcher.container;

import dev.nvjrun.runtime.container.ContainerException;
import dev.nvjrun.runtime.container.ContainerRuntime;
import dev.nvjrun.runtime.container.ContainerState;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code nvjrun wait CONTAINER...}: blocks until each exits and prints its exit code, like
 * {@code docker wait}: the codes are output, not nvjrun's status, which is 0. A container that cannot be
 * waited for (no such container) is skipped; its error is printed once all the others are done and the
 * status is then 1, as Docker's.
 */
@Command(name = "wait", description = "Block until containers stop, then print their exit codes.")
public class WaitCommand extends RuntimeCommand {
    private static final int EXIT_FAILED = 1;

    @Parameters(arity = "1..*", paramLabel = "CONTAINER")
    List<String> containers;

    @Override
    int execute() {
        ContainerRuntime runtime = runtime();
        ContainerRemoval removal = new ContainerRemoval(layout(), runtime);
        List<String> errors = new ArrayList<>();
        for (String ref : containers) {
            try {
                ContainerState state = runtime.inspect(ref);
                out().println(runtime.await(state.id()));
                out().flush();
                if (state.autoRemove()) {
                    removal.removeRootfsIfGone(state);
                }
            } catch (ContainerException e) {
                errors.add(e.getMessage());
            }
        }
        errors.forEach(e -> err().println("nvjrun: " + e));
        err().flush();
        return errors.isEmpty() ? 0 : EXIT_FAILED;
    }
}
