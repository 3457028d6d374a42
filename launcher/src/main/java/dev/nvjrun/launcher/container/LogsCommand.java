package dev.nvjrun.launcher.container;

import dev.nvjrun.launcher.Main;
import dev.nvjrun.runtime.container.ContainerRuntime;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code nvjrun logs [-f] CONTAINER}: the output of a detached container (stdout and stderr together). */
@Command(name = "logs", description = "Print the output of a container started detached.")
public class LogsCommand extends RuntimeCommand {
    @Option(names = {"-f", "--follow"}, description = "Keep printing until the container exits.")
    boolean follow;

    @Parameters(index = "0", paramLabel = "CONTAINER")
    String container;

    @Override
    int execute() throws Exception {
        ContainerRuntime runtime = runtime();
        String id = runtime.inspect(container).id();
        out().flush();
        new LogFollower(runtime, id).copy(Main.of(spec).rawOut(), follow);
        return 0;
    }
}
