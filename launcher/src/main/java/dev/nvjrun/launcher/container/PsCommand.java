package dev.nvjrun.launcher.container;

import dev.nvjrun.launcher.network.ContainerNetworks;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.nvjrun.runtime.container.ContainerState;
import dev.nvjrun.runtime.container.ContainerStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** {@code nvjrun ps [-a] [-q] [--no-trunc] [--format json]}: Docker's columns, newest first. */
@Command(name = "ps", description = "List containers (running ones unless -a).")
public class PsCommand extends RuntimeCommand {
    @Option(names = {"-a", "--all"}, description = "Show all containers, not only running ones.")
    boolean all;

    @Option(names = {"-q", "--quiet"}, description = "Only show container ids.")
    boolean quiet;

    @Option(names = "--no-trunc", description = "Do not truncate ids and commands.")
    boolean noTrunc;

    @Option(names = "--format", paramLabel = "FORMAT", description = "table (default) or json (one object a line).")
    String format;

    @Override
    int execute() throws Exception {
        if (format != null && !format.equals("json") && !format.equals("table")) {
            throw new IllegalArgumentException("format '" + format + "' is not supported; use --format json or --format table");
        }
        List<ContainerState> shown = new ArrayList<>(runtime().list().stream()
                .filter(s -> all || s.status() == ContainerStatus.RUNNING).toList());
        shown.sort((a, b) -> b.created().compareTo(a.created()));
        if (quiet) {
            shown.forEach(s -> out().println(noTrunc ? s.id() : s.shortId()));
            return 0;
        }
        Instant now = Instant.now();
        ContainerNetworks networks = ContainerNetworks.forRoot(layout().root());
        if ("json".equals(format)) {
            JsonFactory json = new JsonFactory();
            for (ContainerState s : shown) {
                out().println(jsonLine(s, now, json, networks));
            }
            return 0;
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[]{"CONTAINER ID", "IMAGE", "COMMAND", "CREATED", "STATUS", "PORTS", "NAMES"});
        for (ContainerState s : shown) {
            rows.add(new String[]{noTrunc ? s.id() : s.shortId(), image(s), command(s), ago(s.created(), now) + " ago", status(s, now), networks.portsColumn(s), s.name()});
        }
        printTable(rows);
        return 0;
    }

    /**
     * Docker's {@code ps --format json} line. Written with jackson-core's generator: a signature naming a
     * databind type here would load databind whenever ps is (and into the AOT cache with it).
     */
    private String jsonLine(ContainerState s, Instant now, JsonFactory json, ContainerNetworks networks) throws IOException {
        StringWriter line = new StringWriter();
        try (JsonGenerator g = json.createGenerator(line)) {
            g.writeStartObject();
            g.writeStringField("Command", command(s));
            g.writeStringField("CreatedAt", s.created());
            g.writeStringField("ID", noTrunc ? s.id() : s.shortId());
            g.writeStringField("Image", image(s));
            g.writeStringField("Labels", s.labels().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).sorted()
                    .collect(Collectors.joining(",")));
            g.writeStringField("Names", s.name());
            g.writeStringField("Networks", networks.networkName(s));
            g.writeStringField("Ports", networks.portsColumn(s));
            g.writeStringField("RunningFor", ago(s.created(), now) + " ago");
            g.writeStringField("State", state(s));
            g.writeStringField("Status", status(s, now));
            g.writeEndObject();
        }
        return line.toString();
    }

    private void printTable(List<String[]> rows) {
        int[] widths = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                line.append(row[i]);
                if (i < row.length - 1) {
                    line.append(" ".repeat(widths[i] - row[i].length() + 3));
                }
            }
            out().println(line.toString().stripTrailing());
        }
    }

    private String image(ContainerState s) {
        ContainerRootfs rootfs = ContainerRootfs.of(layout(), s.spec().rootfs());
        return rootfs == null ? "" : rootfs.origin().image();
    }

    private String command(ContainerState s) {
        String cmd = String.join(" ", s.spec().process().args());
        if (!noTrunc && cmd.length() > 20) {
            cmd = cmd.substring(0, 19) + "…";
        }
        return "\"" + cmd + "\"";
    }

    static String state(ContainerState s) {
        return s.status().name().toLowerCase(Locale.ROOT);
    }

    static String status(ContainerState s, Instant now) {
        return switch (s.status()) {
            case CREATED -> "Created";
            case RUNNING -> "Up " + ago(s.started(), now);
            case EXITED -> "Exited (" + s.exitCode() + ") " + ago(s.finished(), now) + " ago";
        };
    }

    /** Docker's human durations: "Less than a second", "5 seconds", "About a minute", "3 minutes", "2 hours", "3 days". */
    static String ago(String instant, Instant now) {
        if (instant == null) {
            return "Less than a second";
        }
        long seconds = Duration.between(Instant.parse(instant), now).toSeconds();
        if (seconds < 1) {
            return "Less than a second";
        }
        if (seconds < 60) {
            return seconds + " second" + (seconds == 1 ? "" : "s");
        }
        long minutes = seconds / 60;
        if (minutes == 1) {
            return "About a minute";
        }
        if (minutes < 60) {
            return minutes + " minutes";
        }
        long hours = minutes / 60;
        if (hours == 1) {
            return "About an hour";
        }
        if (hours < 48) {
            return hours + " hours";
        }
        return hours / 24 + " days";
    }
}
