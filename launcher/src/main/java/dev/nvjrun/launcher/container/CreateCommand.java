package dev.nvjrun.launcher.container;

import dev.nvjrun.runtime.container.ContainerState;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code nvjrun create [OPTIONS] IMAGE [COMMAND...]}: a container ready to {@code start}; prints its id. */
@Command(name = "create", modelTransformer = StopAtImageArguments.class, sortOptions = false,
        description = {"Create a container without starting it; prints its id.",
                "The network defaults to bridge; the address and published ports are reserved at creation."})
public class CreateCommand extends RuntimeCommand {
    @Mixin
    CreateOptions options;

    @Override
    int execute() {
        PhaseTimer timer = PhaseTimer.fromEnvironment();
        ContainerState created = new ContainerCreation(layout(), timer, errStream()).create(runtime(), options, false, options.gpu.edits(spec));
        out().println(created.id());
        timer.print(err());
        return 0;
    }
}
