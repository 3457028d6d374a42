package dev.nvjrun.launcher;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The models nvjrun starts with are generated at compile time from the picocli annotations
 * (command-model/): they must be the models picocli itself builds from the same annotations, in
 * every attribute that changes parsing or help, for every command and subcommand, and they must
 * parse the same lines into the same values.
 */
class CommandModelParityTest {

    @Test
    void everyCommandsModelIsPicoclisOwn() throws ReflectiveOperationException {
        assertEquals(describe(new CommandLine(new Main())), describe(new CommandLine(MainModel.create())));
        for (CommandSet.Named named : CommandSet.NAMED) {
            if (named.command() == CommandLine.HelpCommand.class) {
                continue; // picocli's own, read from its annotations on both paths
            }
            CommandLine reflected = new CommandLine(named.command().getDeclaredConstructor().newInstance());
            CommandLine generated = new CommandLine(named.model().get());
            assertEquals(describe(reflected), describe(generated), named.name());
        }
    }

    @Test
    void theWholeTreeHelpsAlike() {
        assertEquals(describe(reflectedTree()), describe(CommandTree.full()));
    }

    @Test
    void linesParseToTheSameValues() {
        List<List<String>> lines = List.of(
                List.of("--root", "/r", "--debug", "run", "--rm", "-d", "--name", "c1", "-e", "A=1", "-e", "B", "-v", "/a:/b:ro",
                        "--memory", "64m", "--cpus", "1.5", "-c", "512", "--pids-limit", "10", "--blkio-weight", "300", "--ulimit",
                        "nofile=10:20", "--network", "none", "--gpus", "all", "--log-opt", "max-size=1k", "-p", "8080:80",
                        "--init", "-t", "-i", "busybox", "sh", "-c", "echo -c"),
                List.of("create", "--entrypoint", "/bin/sh", "-w", "/tmp", "-u", "1:2", "-h", "host", "--read-only",
                        "--cap-add", "NET_ADMIN", "--cap-drop", "ALL", "--security-opt", "no-new-privileges", "img"),
                List.of("exec", "-i", "-t", "-e", "X=1", "-u", "0", "-w", "/", "c1", "ls", "-l"),
                List.of("logs", "-f", "--tail", "5", "-t", "--since", "10m", "c1"),
                List.of("ps", "-a", "-q"), List.of("stop", "-t", "3", "c1", "c2"), List.of("kill", "-s", "HUP", "c1"),
                List.of("rm", "-f", "c1"), List.of("wait", "c1"), List.of("container", "prune", "-f"),
                List.of("gpu", "info", "--json"), List.of("driver", "list"), List.of("volume", "ls"),
                List.of("network", "create", "--subnet", "10.9.0.0/24", "n1"), List.of("images", "-q"),
                List.of("image", "ls"), List.of("pull", "busybox"), List.of("cdi", "generate", "--output", "/tmp/x.json"),
                List.of("--help"), List.of("run", "--help"), List.of("version"));
        for (List<String> line : lines) {
            assertEquals(parsed(CommandModelParityTest::reflectedTree, line), parsed(CommandTree::full, line), String.join(" ", line));
        }
    }

    /** picocli's own model of the whole tree, read from the annotations. */
    private static CommandLine reflectedTree() {
        CommandLine cli = new CommandLine(new Main());
        for (CommandSet.Named named : CommandSet.NAMED) {
            try {
                cli.addSubcommand(new CommandLine(named.command().getDeclaredConstructor().newInstance()));
            } catch (ReflectiveOperationException e) {
                throw new AssertionError(e);
            }
        }
        return cli;
    }

    /** Every matched command with the values its options and parameters now hold, or the parse error. */
    private static String parsed(Supplier<CommandLine> tree, List<String> line) {
        CommandLine cli = tree.get();
        StringBuilder b = new StringBuilder();
        try {
            CommandLine.ParseResult result = cli.parseArgs(line.toArray(String[]::new));
            for (CommandLine c : result.asCommandLineList()) {
                b.append(c.getCommandSpec().qualifiedName()).append('\n');
                for (ArgSpec arg : c.getCommandSpec().args()) {
                    b.append("  ").append(label(arg)).append(" = ").append(value(arg.getValue())).append('\n');
                }
            }
        } catch (CommandLine.ParameterException e) {
            b.append("error: ").append(e.getMessage());
        }
        return b.toString();
    }

    private static String describe(CommandLine cli) {
        StringBuilder b = new StringBuilder();
        describe(cli, b);
        return b.toString();
    }

    private static void describe(CommandLine cli, StringBuilder b) {
        CommandSpec spec = cli.getCommandSpec();
        b.append("== ").append(spec.qualifiedName()).append(" (").append(spec.userObject().getClass().getName()).append(")\n");
        b.append("aliases ").append(Arrays.toString(spec.aliases())).append('\n');
        b.append("mixins ").append(new TreeMap<>(spec.mixins()).keySet()).append(" standard help ").append(spec.mixinStandardHelpOptions()).append('\n');
        b.append("version provider ").append(spec.versionProvider() == null ? null : spec.versionProvider().getClass().getName()).append('\n');
        b.append("model transformer ").append(spec.modelTransformer() == null ? null : spec.modelTransformer().getClass().getName()).append('\n');
        b.append("help command ").append(spec.helpCommand()).append(", scope ").append(spec.scopeType()).append('\n');
        b.append("parser stopAtPositional ").append(spec.parser().stopAtPositional())
                .append(" stopAtUnmatched ").append(spec.parser().stopAtUnmatched())
                .append(" unmatchedAllowed ").append(spec.parser().unmatchedArgumentsAllowed())
                .append(" separator ").append(spec.parser().separator()).append('\n');
        CommandLine.Model.UsageMessageSpec usage = spec.usageMessage();
        b.append("usage sortOptions ").append(usage.sortOptions()).append(" autoWidth ").append(usage.autoWidth())
                .append(" hidden ").append(usage.hidden()).append(" width ").append(usage.width()).append('\n');
        b.append(cli.getUsageMessage(CommandLine.Help.Ansi.OFF));
        for (OptionSpec o : spec.options()) {
            b.append("option ").append(Arrays.toString(o.names())).append(common(o))
                    .append(" usageHelp ").append(o.usageHelp()).append(" versionHelp ").append(o.versionHelp())
                    .append(" negatable ").append(o.negatable()).append(" order ").append(o.order()).append('\n');
        }
        for (PositionalParamSpec p : spec.positionalParameters()) {
            b.append("positional ").append(p.index()).append(common(p)).append('\n');
        }
        Map<String, CommandLine> subcommands = new TreeMap<>(cli.getSubcommands());
        b.append("subcommands ").append(subcommands.keySet()).append('\n');
        for (CommandLine sub : subcommands.values()) {
            if (sub.getParent() == cli && sub.getCommandName().equals(subcommandKey(subcommands, sub))) {
                describe(sub, b);
            }
        }
    }

    private static String subcommandKey(Map<String, CommandLine> subcommands, CommandLine sub) {
        return subcommands.entrySet().stream().filter(e -> e.getValue() == sub && e.getKey().equals(sub.getCommandName()))
                .map(Map.Entry::getKey).findFirst().orElse("");
    }

    private static String common(ArgSpec a) {
        return " arity " + a.arity() + (a.arity().isUnspecified() ? " (unspecified)" : "") + " required " + a.required()
                + " label " + a.paramLabel() + " hideParamSyntax " + a.hideParamSyntax()
                + " description " + Arrays.toString(a.description()) + " default " + a.defaultValue()
                + " showDefault " + a.showDefaultValue() + " initial " + value(a.initialValue()) + " hasInitial " + a.hasInitialValue()
                + " value " + value(a.getValue()) + " type " + a.type().getName() + " auxiliary " + names(a.auxiliaryTypes())
                + " multi " + a.isMultiValue() + " split " + a.splitRegex() + " hidden " + a.hidden() + " scope " + a.scopeType()
                + " inherited " + a.inherited() + " interactive " + a.interactive() + " candidates " + list(a.completionCandidates())
                + " converters " + a.converters().length;
    }

    private static String label(ArgSpec arg) {
        return arg instanceof OptionSpec o ? o.longestName() : "positional " + ((PositionalParamSpec) arg).index();
    }

    private static String value(Object value) {
        return value == null ? "null" : value instanceof Object[] array ? Arrays.toString(array) : value.toString();
    }

    private static List<String> names(Class<?>[] types) {
        return Arrays.stream(types).map(Class::getName).toList();
    }

    private static List<String> list(Iterable<String> candidates) {
        List<String> result = new ArrayList<>();
        if (candidates != null) {
            candidates.forEach(result::add);
        }
        return result;
    }
}
