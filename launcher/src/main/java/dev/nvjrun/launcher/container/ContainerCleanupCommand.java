package dev.nvjrun.launcher.container;

import dev.nvjrun.launcher.network.ContainerNetworks;
import dev.nvjrun.runtime.container.ContainerException;
import dev.nvjrun.runtime.container.ContainerRuntime;
import dev.nvjrun.runtime.container.ContainerState;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code nvjrun container cleanup ID}: the exit command a detached container's supervisor runs once the
 * container has exited (not for users; hidden from help). It records the exit, and for a {@code --rm}
 * container releases its network (veth, address, rules, namespace file), removes its state, cgroups and
 * root file system. Whatever fails is left for {@code rm} or {@code prune}, and the non-zero status makes
 * the supervisor remove the state and cgroups itself.
 */
@Command(name = "cleanup", hidden = true, description = "Clean up after a detached container exited (run by its supervisor).")
public class ContainerCleanupCommand extends RuntimeCommand {
    @Parameters(index = "0", paramLabel = "CONTAINER")
    String container;

    @Override
    int execute() {
        // Removed meanwhile (rm -f, prune, a test deleting its root): whoever removed it released the rest, and
        // opening the runtime would create its directories again.
        if (!Files.exists(stateFile())) {
            return 0;
        }
        ContainerRuntime runtime = ContainerRuntime.open(layout().root());
        ContainerState state;
        try {
            state = runtime.recordExit(container);
        } catch (ContainerException e) {
            if (!Files.exists(stateFile())) {
                return 0;
            }
            throw e;
        }
        if (state.autoRemove()) {
            // The state goes last: while it exists, rm and prune still know what the rest belonged to.
            ContainerNetworks.forRoot(layout().root()).release(state);
            new ContainerRemoval(layout(), runtime).removeRootfs(state);
            runtime.removeAfterExit(state.id());
        }
        return 0;
    }

    private Path stateFile() {
        return layout().root().resolve("containers").resolve(container).resolve("state.json");
    }
}
