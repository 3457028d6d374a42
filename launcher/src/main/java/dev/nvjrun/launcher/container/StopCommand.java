package dev.nvjrun.launcher.container;

import dev.nvjrun.runtime.container.ContainerRuntime;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Duration;
import java.util.List;

/** {@code nvjrun stop [-t SECONDS] CONTAINER...}: the stop signal, then SIGKILL after the grace time. */
@Command(name = "stop", description = "Stop one or more running containers.")
public class StopCommand extends RuntimeCommand {
    @Option(names = {"-t", "--time"}, paramLabel = "SECONDS", description = "Seconds to wait before killing (default: the container's --stop-timeout).")
    Integer seconds;

    @Parameters(arity = "1..*", paramLabel = "CONTAINER")
    List<String> containers;

    @Override
    int execute() {
        if (seconds != null && seconds < 0) {
            throw new IllegalArgumentException("stop time " + seconds + " must not be negative");
        }
        ContainerRuntime runtime = runtime();
        return new EachContainer(containers, out(), err()).apply(ref -> runtime.stop(ref, seconds == null ? null : Duration.ofSeconds(seconds)));
    }
}
