package dev.nvjrun.launcher.container;

import dev.nvjrun.launcher.Main;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code nvjrun container ls|run|create|start|stop|kill|rm|logs|exec|inspect|wait|prune}: Docker's
 * management command. Except for {@code prune}, each is the top-level command of the same name, run
 * again with the same global options: registering them twice would make picocli build the model of
 * every option of run and create twice at each start of nvjrun, for every command.
 */
@Command(name = "container", modelTransformer = StopAtImageArguments.class,
        description = {"Manage containers: ls (list, ps), run, create, start, stop, kill, rm (remove), logs, exec, inspect, wait, prune.",
                "Each is the top-level command of the same name (ls is ps); see 'nvjrun COMMAND --help'."},
        subcommands = {ContainerPruneCommand.class, ContainerCleanupCommand.class})
public final class ContainerCommand extends RuntimeCommand {
    private static final Map<String, String> TOP_LEVEL = Map.ofEntries(Map.entry("ls", "ps"), Map.entry("list", "ps"),
            Map.entry("ps", "ps"), Map.entry("rm", "rm"), Map.entry("remove", "rm"), Map.entry("run", "run"),
            Map.entry("create", "create"), Map.entry("start", "start"), Map.entry("stop", "stop"), Map.entry("kill", "kill"),
            Map.entry("logs", "logs"), Map.entry("exec", "exec"), Map.entry("inspect", "inspect"), Map.entry("wait", "wait"));

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help.")
    boolean help;

    @Parameters(arity = "0..*", paramLabel = "COMMAND", description = "The container command and its arguments.")
    List<String> args = new ArrayList<>();

    @Override
    int execute() {
        if (args.isEmpty() || args.get(0).equals("help")) {
            spec.commandLine().usage(out());
            return args.isEmpty() ? 125 : 0;
        }
        String command = TOP_LEVEL.get(args.get(0));
        if (command == null) {
            throw new IllegalArgumentException("'" + args.get(0) + "' is not a container command; use one of ls, run, create, start, "
                    + "stop, kill, rm, logs, exec, inspect, wait, prune");
        }
        // The global options come before "container" on the original line; everything after it is ours.
        List<String> original = spec.root().commandLine().getParseResult().originalArgs();
        List<String> again = new ArrayList<>(original.subList(0, original.size() - args.size() - 1));
        again.add(command);
        again.addAll(args.subList(1, args.size()));
        out().flush();
        return Main.execute(again.toArray(String[]::new), Main.of(spec).rawOut(), errStream());
    }
}
