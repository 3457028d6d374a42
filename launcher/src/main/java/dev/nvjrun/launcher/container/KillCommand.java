package dev.nvjrun.launcher.container;

import dev.nvjrun.runtime.container.ContainerRuntime;
import dev.nvjrun.runtime.process.Signals;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;

/** {@code nvjrun kill [-s SIGNAL] CONTAINER...}: a signal to each container's first process. */
@Command(name = "kill", description = "Send a signal (default KILL) to one or more running containers.")
public class KillCommand extends RuntimeCommand {
    @Option(names = {"-s", "--signal"}, paramLabel = "SIGNAL", defaultValue = "KILL", description = "Signal name or number (default ${DEFAULT-VALUE}).")
    String signal;

    @Parameters(arity = "1..*", paramLabel = "CONTAINER")
    List<String> containers;

    @Override
    int execute() {
        int number = Signals.parse(signal);
        ContainerRuntime runtime = runtime();
        return new EachContainer(containers, out(), err()).apply(ref -> runtime.kill(ref, number));
    }
}
