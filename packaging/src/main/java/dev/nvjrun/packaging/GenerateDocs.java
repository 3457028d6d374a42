package dev.nvjrun.packaging;

import dev.nvjrun.launcher.CommandTree;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Help.Ansi;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * {@code GenerateDocs OUT}: writes what describes nvjrun's command line, from the command classes
 * themselves so it cannot drift from them: OUT/bash-completion/nvjrun (picocli's AutoComplete) and
 * OUT/man/man1/nvjrun.1 plus one page per subcommand, nested ones included (nvjrun-gpu-info.1).
 * Run by scripts/assemble-dist; this class is not on nvjrun's class path.
 */
public final class GenerateDocs {

    /** Man pages are read on 80-column terminals, indented by about 7. */
    private static final int SYNOPSIS_WIDTH = 72;

    private GenerateDocs() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: GenerateDocs OUT_DIR");
            System.exit(2);
        }
        Path out = Path.of(args[0]);
        CommandLine tree = CommandTree.full();
        tree.setColorScheme(CommandLine.Help.defaultColorScheme(Ansi.OFF));
        tree.setUsageHelpAutoWidth(false);
        tree.setUsageHelpWidth(SYNOPSIS_WIDTH);

        Path completion = out.resolve("bash-completion/nvjrun");
        Files.createDirectories(completion.getParent());
        Files.writeString(completion, AutoComplete.bash("nvjrun", tree), StandardCharsets.UTF_8);

        Path man1 = out.resolve("man/man1");
        Files.createDirectories(man1);
        String version = String.join(" ", tree.getCommandSpec().version());
        for (CommandLine command : everyCommand(tree)) {
            ManPage page = new ManPage(command, version);
            Files.writeString(man1.resolve(page.name() + ".1"), page.roff(), StandardCharsets.UTF_8);
        }
    }

    /** The tree's commands, parents before children, each once (aliases name the same command). */
    static List<CommandLine> everyCommand(CommandLine root) {
        List<CommandLine> all = new ArrayList<>();
        Set<CommandLine> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        collect(root, all, seen);
        return all;
    }

    private static void collect(CommandLine command, List<CommandLine> all, Set<CommandLine> seen) {
        if (command.getCommandSpec().usageMessage().hidden() || !seen.add(command)) {
            return;
        }
        all.add(command);
        for (CommandLine sub : command.getSubcommands().values()) {
            collect(sub, all, seen);
        }
    }
}
