package dev.nvjrun.launcher.container;

import dev.nvjrun.runtime.container.ContainerRuntime;
import dev.nvjrun.runtime.container.ContainerState;
import dev.nvjrun.runtime.container.Stdio;
import dev.nvjrun.runtime.process.UserResolver;
import dev.nvjrun.runtime.spec.ProcessSpec;
import dev.nvjrun.runtime.spec.Terminal;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code nvjrun exec [-i] [-t] [-e] [-u] [-w] CONTAINER COMMAND...}: another process in a running container; exits with its status. */
@Command(name = "exec", modelTransformer = StopAtImageArguments.class, description = "Run a command in a running container.")
public class ExecCommand extends RuntimeCommand {
    @Option(names = {"-i", "--interactive"}, description = "Keep standard input open.")
    boolean interactive;

    @Option(names = {"-t", "--tty"}, description = "Give the process a terminal.")
    boolean tty;

    @Option(names = {"-e", "--env"}, paramLabel = "NAME[=VALUE]", description = "Set an environment variable.")
    List<String> env = new ArrayList<>();

    @Option(names = {"-u", "--user"}, paramLabel = "USER[:GROUP]", description = "User name or uid, optionally with a group.")
    String user;

    @Option(names = {"-w", "--workdir"}, paramLabel = "DIR", description = "Working directory inside the container.")
    String workdir;

    @Parameters(index = "0", paramLabel = "CONTAINER")
    String container;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "COMMAND")
    List<String> command;

    @Override
    int execute() {
        if (workdir != null && !workdir.startsWith("/")) {
            throw new IllegalArgumentException("the working directory '" + workdir + "' is invalid; it needs to be an absolute path");
        }
        Terminal terminal = new TerminalFlags(interactive, tty).terminal();
        ContainerRuntime runtime = runtime();
        ContainerState state = runtime.inspect(container);
        ProcessSpec base = state.spec().process();
        List<String> overrides = new ArrayList<>();
        for (String e : env) {
            if (e.indexOf('=') > 0) {
                overrides.add(e);
            } else if (System.getenv(e) != null) {
                overrides.add(e + "=" + System.getenv(e));
            }
        }
        Path rootfs = state.spec().rootfs();
        ProcessSpec process = new ProcessSpec(command, FlagEdits.mergeEnv(base.env(), overrides),
                workdir == null ? base.cwd() : workdir, user == null ? base.user() : UserResolver.resolve(rootfs, user),
                base.rlimits(), false);
        Stdio stdio = new Stdio(interactive ? null : Path.of("/dev/null"), null, null, terminal);
        out().flush();
        return runtime.exec(state.id(), process, stdio);
    }
}
