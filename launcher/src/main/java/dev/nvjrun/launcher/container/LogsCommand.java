package dev.nvjrun.launcher.container;

import dev.nvjrun.launcher.Main;
import dev.nvjrun.runtime.container.ContainerException;
import dev.nvjrun.runtime.container.ContainerRuntime;
import dev.nvjrun.runtime.container.ContainerState;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Instant;

/**
 * {@code nvjrun logs [-f] [--tail N] [-t] [--since T] [--until T] CONTAINER}: a container's json-file log,
 * its stdout entries to stdout and its stderr entries to stderr, as {@code docker logs}.
 */
@Command(name = "logs", description = "Print the output of a container (its json-file log).")
public class LogsCommand extends RuntimeCommand {
    @Option(names = {"-f", "--follow"}, description = "Keep printing until the container exits.")
    boolean follow;

    @Option(names = "--tail", paramLabel = "N", description = "Only the last N lines (default: all).")
    String tail = "all";

    @Option(names = {"-t", "--timestamps"}, description = "Show each line's time.")
    boolean timestamps;

    @Option(names = "--since", paramLabel = "TIME", description = "Only lines since an RFC 3339 time, Unix seconds or a duration before now (10m).")
    String since;

    @Option(names = "--until", paramLabel = "TIME", description = "Only lines before an RFC 3339 time, Unix seconds or a duration before now (10m).")
    String until;

    @Parameters(index = "0", paramLabel = "CONTAINER")
    String container;

    @Override
    int execute() throws Exception {
        Instant now = Instant.now();
        LogFollower.Selection selection = new LogFollower.Selection(tailCount(),
                since == null ? null : LogTime.parse("--since", since, now), until == null ? null : LogTime.parse("--until", until, now),
                timestamps);
        ContainerRuntime runtime = runtime();
        ContainerState state = runtime.inspect(container);
        if (!state.log().keepsLog()) {
            throw new ContainerException("container " + state.name() + " uses the log driver " + state.log().driver()
                    + ", which keeps no log to read; run it with --log-driver json-file (the default)", 125);
        }
        out().flush();
        err().flush();
        Main main = Main.of(spec);
        new LogFollower(runtime, state.id(), main.rawOut(), main.rawErr(), err(), selection).copy(follow);
        return 0;
    }

    private int tailCount() {
        if (tail.equals("all")) {
            return -1;
        }
        try {
            int n = Integer.parseInt(tail.strip());
            return n < 0 ? -1 : n; // Docker treats a negative count as all
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--tail value '" + tail + "' is not a number of lines; give a number such as 10, or all");
        }
    }
}
