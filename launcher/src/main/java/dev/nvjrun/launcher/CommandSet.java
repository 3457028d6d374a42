package dev.nvjrun.launcher;

import dev.nvjrun.launcher.cdi.CdiCommand;
import dev.nvjrun.launcher.container.ContainerCommand;
import dev.nvjrun.launcher.container.CreateCommand;
import dev.nvjrun.launcher.container.ExecCommand;
import dev.nvjrun.launcher.container.InspectCommand;
import dev.nvjrun.launcher.container.KillCommand;
import dev.nvjrun.launcher.container.LogsCommand;
import dev.nvjrun.launcher.container.PsCommand;
import dev.nvjrun.launcher.container.RmCommand;
import dev.nvjrun.launcher.container.RunCommand;
import dev.nvjrun.launcher.container.StartCommand;
import dev.nvjrun.launcher.container.StopCommand;
import dev.nvjrun.launcher.container.WaitCommand;
import dev.nvjrun.launcher.driver.DriverCommand;
import dev.nvjrun.launcher.gpu.GpuCommand;
import dev.nvjrun.launcher.image.ImageCommand;
import dev.nvjrun.launcher.image.ImagesCommand;
import dev.nvjrun.launcher.image.ImportCommand;
import dev.nvjrun.launcher.image.LoadCommand;
import dev.nvjrun.launcher.image.PullCommand;
import dev.nvjrun.launcher.image.RmiCommand;
import dev.nvjrun.launcher.image.SaveCommand;
import dev.nvjrun.launcher.image.SystemCommand;
import dev.nvjrun.launcher.image.TagCommand;
import dev.nvjrun.launcher.network.NetworkCommand;
import dev.nvjrun.launcher.network.PortCommand;
import dev.nvjrun.launcher.plugin.PluginCommand;
import dev.nvjrun.launcher.volume.VolumeCommand;
import picocli.CommandLine;

import java.util.List;
import java.util.Set;

/**
 * nvjrun's commands, registered with picocli only as far as a command line needs them. Building
 * the model of every command and option costs more than the rest of a short command's start-up
 * (about 125 ms of class loading and reflection without the AOT cache), so a line that names a
 * command gets that command alone; help, errors and a bare {@code nvjrun} get all of them.
 */
final class CommandSet {

    /**
     * Each command with the name that selects it. Spelled here rather than read from the classes' @Command
     * annotations: finding the named command then parses no annotations of the ~30 others (start-up
     * time). CommandSetTest checks the names against the annotations.
     */
    record Named(String name, Class<?> command) {
    }

    static final List<Named> NAMED = List.of(new Named("gpu", GpuCommand.class), new Named("driver", DriverCommand.class),
            new Named("cdi", CdiCommand.class),
            new Named("plugin", PluginCommand.class), new Named("volume", VolumeCommand.class), new Named("pull", PullCommand.class),
            new Named("load", LoadCommand.class), new Named("save", SaveCommand.class), new Named("import", ImportCommand.class),
            new Named("images", ImagesCommand.class), new Named("image", ImageCommand.class), new Named("tag", TagCommand.class),
            new Named("rmi", RmiCommand.class), new Named("system", SystemCommand.class), new Named("run", RunCommand.class),
            new Named("create", CreateCommand.class), new Named("start", StartCommand.class), new Named("ps", PsCommand.class),
            new Named("stop", StopCommand.class), new Named("kill", KillCommand.class), new Named("rm", RmCommand.class),
            new Named("logs", LogsCommand.class), new Named("exec", ExecCommand.class), new Named("inspect", InspectCommand.class),
            new Named("wait", WaitCommand.class), new Named("container", ContainerCommand.class),
            new Named("network", NetworkCommand.class), new Named("port", PortCommand.class), new Named("version", VersionCommand.class),
            new Named("help", CommandLine.HelpCommand.class));

    static final List<Class<?>> ALL = NAMED.stream().<Class<?>>map(Named::command).toList();

    /** Main's options that take a value, so that the value is not mistaken for the command's name. */
    private static final Set<String> VALUED_GLOBALS = Set.of("--driver-root", "--dev-root", "--proc-root",
            "--nvml-library", "--root");

    private CommandSet() {
    }

    /** The commands to register for this command line. */
    static List<Class<?>> forArguments(List<String> args) {
        String name = commandName(args);
        if (name == null) {
            return ALL;
        }
        List<Class<?>> named = NAMED.stream().filter(n -> n.name().equals(name)).<Class<?>>map(Named::command).toList();
        return named.isEmpty() || named.contains(CommandLine.HelpCommand.class) ? ALL : named;
    }

    static void register(CommandLine cli, List<String> args) throws ReflectiveOperationException {
        for (Class<?> command : forArguments(args)) {
            // A CommandLine of its own first: that runs the command's model transformer (run's
            // stop-at-image), which registering the bare object through addSubcommand skips.
            cli.addSubcommand(new CommandLine(command.getDeclaredConstructor().newInstance()));
        }
    }

    private static String commandName(List<String> args) {
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("--")) {
                return null;
            }
            if (!arg.startsWith("-")) {
                return arg;
            }
            if (VALUED_GLOBALS.contains(arg)) {
                i++;
            }
        }
        return null;
    }
}
