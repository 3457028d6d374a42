package dev.nvjrun.launcher;

import picocli.CommandLine;

import java.util.List;

/**
 * Every nvjrun command registered at once, for what describes the whole command line: the shell
 * completion script and the man pages that packaging generates at build time. A real command line
 * goes through {@link Main#execute}, which registers only the commands it names (start-up time).
 */
public final class CommandTree {

    private CommandTree() {
    }

    /** A fresh {@code nvjrun} command line with all subcommands, nested ones included. */
    public static CommandLine full() {
        CommandLine cli = new CommandLine(MainModel.create());
        CommandSet.register(cli, List.of());
        return cli;
    }
}
