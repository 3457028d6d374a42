package dev.nvjrun.launcher.container;

import dev.nvjrun.runtime.container.ContainerRuntime;
import dev.nvjrun.runtime.container.ContainerState;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.List;

/**
 * {@code nvjrun wait CONTAINER...}: blocks until each exits and prints its status. Like Docker the
 * status is printed; nvjrun's own exit status is the last container's, so scripts can test it directly.
 */
@Command(name = "wait", description = "Block until containers stop, then print their exit codes.")
public class WaitCommand extends RuntimeCommand {
    @Parameters(arity = "1..*", paramLabel = "CONTAINER")
    List<String> containers;

    @Override
    int execute() {
        ContainerRuntime runtime = runtime();
        int last = 0;
        ContainerRemoval removal = new ContainerRemoval(layout(), runtime);
        for (String ref : containers) {
            ContainerState state = runtime.inspect(ref);
            last = runtime.await(state.id());
            out().println(last);
            out().flush();
            if (state.autoRemove()) {
                removal.removeRootfsIfGone(state);
            }
        }
        return last;
    }
}
