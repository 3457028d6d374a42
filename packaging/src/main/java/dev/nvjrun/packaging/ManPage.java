package dev.nvjrun.packaging;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * One command's man page in roff (man(7) macros), written straight from picocli's model: name,
 * synopsis, description, options, arguments, subcommands. picocli-codegen's ManPageGenerator
 * writes AsciiDoc instead, which needs asciidoctor (Ruby) in the build to become a man page.
 */
record ManPage(CommandLine command, String version) {

    /** The page's name: the command's words joined by '-', like git's (nvjrun-gpu-info). */
    String name() {
        return command.getCommandSpec().qualifiedName("-");
    }

    String roff() {
        CommandSpec spec = command.getCommandSpec();
        StringBuilder page = new StringBuilder();
        page.append(".TH ").append(quoted(name().toUpperCase())).append(" 1 \"\" ")
                .append(quoted(version)).append(" \"nvjrun Manual\"\n");
        page.append(".SH NAME\n").append(text(name())).append(" \\- ").append(text(summary(spec))).append('\n');

        page.append(".SH SYNOPSIS\n.nf\n");
        lines(command.getHelp().synopsis(0).strip(), page);
        page.append(".fi\n");

        page.append(".SH DESCRIPTION\n");
        paragraphs(formatted(spec.usageMessage().description()), page);
        if (spec.usageMessage().footer().length > 0) {
            page.append(".PP\n");
            paragraphs(formatted(spec.usageMessage().footer()), page);
        }

        List<OptionSpec> options = spec.options().stream().filter(o -> !o.hidden()).toList();
        if (!options.isEmpty()) {
            page.append(".SH OPTIONS\n");
            for (OptionSpec option : options) {
                page.append(".TP\n").append(optionNames(option)).append('\n');
                paragraphs(option.description(), page);
            }
        }
        List<PositionalParamSpec> parameters = spec.positionalParameters().stream().filter(p -> !p.hidden()).toList();
        if (!parameters.isEmpty()) {
            page.append(".SH ARGUMENTS\n");
            for (PositionalParamSpec parameter : parameters) {
                page.append(".TP\n\\fI").append(text(parameter.paramLabel())).append("\\fR\n");
                paragraphs(parameter.description(), page);
            }
        }
        List<CommandLine> subcommands = distinct(command.getSubcommands().values());
        if (!subcommands.isEmpty()) {
            page.append(".SH COMMANDS\n");
            for (CommandLine sub : subcommands) {
                CommandSpec s = sub.getCommandSpec();
                page.append(".TP\n\\fB").append(text(s.name())).append("\\fR");
                for (String alias : s.aliases()) {
                    page.append(", \\fB").append(text(alias)).append("\\fR");
                }
                page.append('\n').append(text(summary(s))).append(" See \\fB")
                        .append(text(s.qualifiedName("-"))).append("\\fR(1).\n");
            }
        }
        if (spec.parent() != null) {
            page.append(".SH SEE ALSO\n\\fB").append(text(spec.parent().qualifiedName("-"))).append("\\fR(1)\n");
        }
        return page.toString();
    }

    /** The first sentence of the description, for NAME and for the parent's list of commands. */
    private static String summary(CommandSpec spec) {
        String[] text = spec.usageMessage().description().length > 0
                ? spec.usageMessage().description() : spec.usageMessage().header();
        for (String line : formatted(text)) {
            if (!line.isBlank()) {
                return line.strip();
            }
        }
        return "";
    }

    /**
     * A command's description and footer are format strings that picocli's help formats (%n is a
     * line break, as in its own help command); options' descriptions come formatted already.
     */
    private static String[] formatted(String[] lines) {
        return String.join("\n", lines).replace("%n", "\n").replace("%%", "%").split("\n");
    }

    private static String optionNames(OptionSpec option) {
        StringBuilder names = new StringBuilder();
        for (String name : option.names()) {
            if (!names.isEmpty()) {
                names.append(", ");
            }
            names.append("\\fB").append(text(name)).append("\\fR");
        }
        if (option.typeInfo().isBoolean() && option.arity().max() == 0) {
            return names.toString();
        }
        return names.append('=').append("\\fI").append(text(option.paramLabel())).append("\\fR").toString();
    }

    /** Description lines (picocli's %n splits them too) fill one paragraph; an empty line starts the next. */
    private static void paragraphs(String[] description, StringBuilder page) {
        boolean first = true;
        for (String line : String.join("\n", description).split("\n")) {
            if (line.isBlank()) {
                if (!first) {
                    page.append(".PP\n");
                }
                continue;
            }
            first = false;
            page.append(text(line.strip())).append('\n');
        }
    }

    /** Preformatted lines (the synopsis), kept as picocli wrapped them. */
    private static void lines(String block, StringBuilder page) {
        for (String line : block.split("\n", -1)) {
            page.append(text(line)).append('\n');
        }
    }

    private static List<CommandLine> distinct(Iterable<CommandLine> commands) {
        Set<CommandLine> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        List<CommandLine> result = new ArrayList<>();
        for (CommandLine c : commands) {
            if (!c.getCommandSpec().usageMessage().hidden() && seen.add(c)) {
                result.add(c);
            }
        }
        return result;
    }

    /**
     * Text for a roff line: backslashes and hyphens escaped, no line read as a request, and
     * characters beyond ASCII as roff's \\[uXXXX] (groff reads its input as Latin-1 otherwise).
     */
    static String text(String s) {
        StringBuilder ascii = new StringBuilder();
        s.codePoints().forEach(c -> {
            if (c == '\\') {
                ascii.append("\\e");
            } else if (c == '-') {
                ascii.append("\\-");
            } else if (c < 128) {
                ascii.append((char) c);
            } else {
                ascii.append(String.format("\\[u%04X]", c));
            }
        });
        String escaped = ascii.toString();
        return escaped.startsWith(".") || escaped.startsWith("'") ? "\\&" + escaped : escaped;
    }

    private static String quoted(String s) {
        return '"' + text(s).replace("\"", "\\(dq") + '"';
    }
}
