package dev.nvjrun.launcher.container;

import dev.nvjrun.runtime.container.ContainerRuntime;
import dev.nvjrun.runtime.container.ContainerState;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** {@code nvjrun container prune [-f]}: removes every container that is not running, with its root file system. */
@Command(name = "prune", description = "Remove all stopped containers.")
public class ContainerPruneCommand extends RuntimeCommand {
    @Option(names = {"-f", "--force"}, description = "Do not ask for confirmation.")
    boolean force;

    @Override
    int execute() throws IOException {
        if (!force) {
            err().print("WARNING! This will remove all stopped containers.\nAre you sure you want to continue? [y/N] ");
            err().flush();
            String answer = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            if (answer == null || !answer.strip().equalsIgnoreCase("y")) {
                return 0;
            }
        }
        ContainerRuntime runtime = runtime();
        ContainerRemoval removal = new ContainerRemoval(layout(), runtime);
        Map<String, ContainerState> before = new HashMap<>();
        runtime.list().forEach(s -> before.put(s.id(), s));
        // The runtime's prune also clears what self-removing containers left (lock files, kept exit statuses).
        List<String> deleted = runtime.prune();
        for (String id : deleted) {
            if (before.containsKey(id)) {
                removal.removeRootfs(before.get(id));
            }
        }
        removal.removeUnusedRootfs();
        if (!deleted.isEmpty()) {
            out().println("Deleted Containers:");
            deleted.forEach(out()::println);
            out().println();
        }
        out().println("Total reclaimed space: 0B");
        return 0;
    }
}
