package dev.nvjrun.launcher.container;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;

/** {@code nvjrun rm [-f] CONTAINER...}: state, cgroups and the root file system (its writable layer too). */
@Command(name = "rm", description = "Remove one or more containers.")
public class RmCommand extends RuntimeCommand {
    @Option(names = {"-f", "--force"}, description = "Kill a running container first.")
    boolean force;

    @Option(names = {"-v", "--volumes"}, description = "Accepted for Docker compatibility; nvjrun has no anonymous volumes.")
    boolean volumes;

    @Parameters(arity = "1..*", paramLabel = "CONTAINER")
    List<String> containers;

    @Override
    int execute() {
        ContainerRemoval removal = new ContainerRemoval(layout(), runtime());
        int status = new EachContainer(containers, out(), err()).apply(ref -> removal.remove(ref, force));
        removal.removeUnusedRootfs();
        return status;
    }
}
