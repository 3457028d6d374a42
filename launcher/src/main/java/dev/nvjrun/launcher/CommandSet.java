package dev.nvjrun.launcher;

import dev.nvjrun.launcher.cdi.CdiCommand;
import dev.nvjrun.launcher.cdi.CdiCommandModel;
import dev.nvjrun.launcher.container.ContainerCommand;
import dev.nvjrun.launcher.container.ContainerCommandModel;
import dev.nvjrun.launcher.container.CreateCommand;
import dev.nvjrun.launcher.container.CreateCommandModel;
import dev.nvjrun.launcher.container.ExecCommand;
import dev.nvjrun.launcher.container.ExecCommandModel;
import dev.nvjrun.launcher.container.InspectCommand;
import dev.nvjrun.launcher.container.InspectCommandModel;
import dev.nvjrun.launcher.container.KillCommand;
import dev.nvjrun.launcher.container.KillCommandModel;
import dev.nvjrun.launcher.container.LogsCommand;
import dev.nvjrun.launcher.container.LogsCommandModel;
import dev.nvjrun.launcher.container.PsCommand;
import dev.nvjrun.launcher.container.PsCommandModel;
import dev.nvjrun.launcher.container.RmCommand;
import dev.nvjrun.launcher.container.RmCommandModel;
import dev.nvjrun.launcher.container.RunCommand;
import dev.nvjrun.launcher.container.RunCommandModel;
import dev.nvjrun.launcher.container.StartCommand;
import dev.nvjrun.launcher.container.StartCommandModel;
import dev.nvjrun.launcher.container.StopCommand;
import dev.nvjrun.launcher.container.StopCommandModel;
import dev.nvjrun.launcher.container.WaitCommand;
import dev.nvjrun.launcher.container.WaitCommandModel;
import dev.nvjrun.launcher.driver.DriverCommand;
import dev.nvjrun.launcher.driver.DriverCommandModel;
import dev.nvjrun.launcher.gpu.GpuCommand;
import dev.nvjrun.launcher.gpu.GpuCommandModel;
import dev.nvjrun.launcher.image.ImageCommand;
import dev.nvjrun.launcher.image.ImageCommandModel;
import dev.nvjrun.launcher.image.ImagesCommand;
import dev.nvjrun.launcher.image.ImagesCommandModel;
import dev.nvjrun.launcher.image.ImportCommand;
import dev.nvjrun.launcher.image.ImportCommandModel;
import dev.nvjrun.launcher.image.LoadCommand;
import dev.nvjrun.launcher.image.LoadCommandModel;
import dev.nvjrun.launcher.image.PullCommand;
import dev.nvjrun.launcher.image.PullCommandModel;
import dev.nvjrun.launcher.image.RmiCommand;
import dev.nvjrun.launcher.image.RmiCommandModel;
import dev.nvjrun.launcher.image.SaveCommand;
import dev.nvjrun.launcher.image.SaveCommandModel;
import dev.nvjrun.launcher.image.SystemCommand;
import dev.nvjrun.launcher.image.SystemCommandModel;
import dev.nvjrun.launcher.image.TagCommand;
import dev.nvjrun.launcher.image.TagCommandModel;
import dev.nvjrun.launcher.network.NetworkCommand;
import dev.nvjrun.launcher.network.NetworkCommandModel;
import dev.nvjrun.launcher.network.PortCommand;
import dev.nvjrun.launcher.network.PortCommandModel;
import dev.nvjrun.launcher.plugin.PluginCommand;
import dev.nvjrun.launcher.plugin.PluginCommandModel;
import dev.nvjrun.launcher.volume.VolumeCommand;
import dev.nvjrun.launcher.volume.VolumeCommandModel;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * nvjrun's commands, registered with picocli only as far as a command line needs them. Building
 * the model of every command and option costs more than the rest of a short command's start-up
 * (about 125 ms of class loading and reflection without the AOT cache), so a line that names a
 * command gets that command alone; help, errors and a bare {@code nvjrun} get all of them.
 */
final class CommandSet {

    /**
     * Each command with the name that selects it and its picocli model, generated at compile time from its
     * annotations (command-model/README.md). Spelled here rather than read from the classes' @Command
     * annotations: a start then reads no annotations at all (start-up time). CommandSetTest checks the
     * names against the annotations, CommandModelParityTest the models against picocli's own.
     */
    record Named(String name, Class<?> command, Supplier<CommandSpec> model) {
    }

    static final List<Named> NAMED = List.of(
            new Named("gpu", GpuCommand.class, GpuCommandModel::create),
            new Named("driver", DriverCommand.class, DriverCommandModel::create),
            new Named("cdi", CdiCommand.class, CdiCommandModel::create),
            new Named("plugin", PluginCommand.class, PluginCommandModel::create),
            new Named("volume", VolumeCommand.class, VolumeCommandModel::create),
            new Named("pull", PullCommand.class, PullCommandModel::create),
            new Named("load", LoadCommand.class, LoadCommandModel::create),
            new Named("save", SaveCommand.class, SaveCommandModel::create),
            new Named("import", ImportCommand.class, ImportCommandModel::create),
            new Named("images", ImagesCommand.class, ImagesCommandModel::create),
            new Named("image", ImageCommand.class, ImageCommandModel::create),
            new Named("tag", TagCommand.class, TagCommandModel::create),
            new Named("rmi", RmiCommand.class, RmiCommandModel::create),
            new Named("system", SystemCommand.class, SystemCommandModel::create),
            new Named("run", RunCommand.class, RunCommandModel::create),
            new Named("create", CreateCommand.class, CreateCommandModel::create),
            new Named("start", StartCommand.class, StartCommandModel::create),
            new Named("ps", PsCommand.class, PsCommandModel::create),
            new Named("stop", StopCommand.class, StopCommandModel::create),
            new Named("kill", KillCommand.class, KillCommandModel::create),
            new Named("rm", RmCommand.class, RmCommandModel::create),
            new Named("logs", LogsCommand.class, LogsCommandModel::create),
            new Named("exec", ExecCommand.class, ExecCommandModel::create),
            new Named("inspect", InspectCommand.class, InspectCommandModel::create),
            new Named("wait", WaitCommand.class, WaitCommandModel::create),
            new Named("container", ContainerCommand.class, ContainerCommandModel::create),
            new Named("network", NetworkCommand.class, NetworkCommandModel::create),
            new Named("port", PortCommand.class, PortCommandModel::create),
            new Named("version", VersionCommand.class, VersionCommandModel::create),
            new Named("help", CommandLine.HelpCommand.class, () -> CommandSpec.forAnnotatedObject(new CommandLine.HelpCommand())));

    static final List<Class<?>> ALL = NAMED.stream().<Class<?>>map(Named::command).toList();

    /** Main's options that take a value, so that the value is not mistaken for the command's name. */
    private static final Set<String> VALUED_GLOBALS = Set.of("--driver-root", "--dev-root", "--proc-root",
            "--nvml-library", "--root");

    private CommandSet() {
    }

    /** The commands to register for this command line. */
    static List<Class<?>> forArguments(List<String> args) {
        return selected(args).stream().<Class<?>>map(Named::command).toList();
    }

    static void register(CommandLine cli, List<String> args) {
        for (Named named : selected(args)) {
            // A CommandLine of its own first: that runs the command's model transformer (run's
            // stop-at-image), which registering the bare model through addSubcommand skips.
            cli.addSubcommand(new CommandLine(named.model().get()));
        }
    }

    private static List<Named> selected(List<String> args) {
        String name = commandName(args);
        List<Named> named = name == null ? List.of() : NAMED.stream().filter(n -> n.name().equals(name)).toList();
        return named.isEmpty() || named.get(0).command() == CommandLine.HelpCommand.class ? NAMED : named;
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
