package dev.nvjrun.launcher.network;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nvjrun.launcher.Main;
import dev.nvjrun.runtime.container.ContainerRuntime;
import dev.nvjrun.runtime.network.NetworkException;
import dev.nvjrun.runtime.network.NetworkAttachment;
import dev.nvjrun.runtime.network.NetworkDefinition;
import dev.nvjrun.runtime.network.NetworkInspection;
import dev.nvjrun.runtime.network.NetworkStore;
import dev.nvjrun.runtime.network.address.Subnet;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code nvjrun network ls|inspect|create|rm}: the default bridge network and user-defined ones. */
@Command(name = "network", description = "Manage networks.",
        subcommands = {NetworkCommand.Ls.class, NetworkCommand.Inspect.class, NetworkCommand.Create.class, NetworkCommand.Rm.class,
                NetworkCommand.Reset.class})
public class NetworkCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a network command is required: ls, inspect, create or rm");
    }

    /** What every network subcommand shares: this state root's networks and the output. */
    abstract static class NetworkSubcommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        NetworkStore networks() {
            return ContainerNetworks.forRoot(Main.of(spec).stateRoot()).networking().networks();
        }

        PrintWriter out() {
            return spec.commandLine().getOut();
        }
    }

    @Command(name = "ls", aliases = "list", description = "List networks.")
    static class Ls extends NetworkSubcommand {
        @Option(names = {"-q", "--quiet"}, description = "Only names.")
        boolean quiet;

        @Override
        public Integer call() {
            List<NetworkDefinition> all = networks().list();
            if (quiet) {
                all.forEach(n -> out().println(n.name()));
                return 0;
            }
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[]{"NAME", "DRIVER", "BRIDGE", "SUBNET", "GATEWAY"});
            for (NetworkDefinition n : all) {
                rows.add(new String[]{n.name(), "bridge", n.bridge(), n.subnet().toString(), n.gateway().toString()});
            }
            int[] widths = new int[rows.get(0).length];
            rows.forEach(r -> {
                for (int i = 0; i < r.length; i++) {
                    widths[i] = Math.max(widths[i], r[i].length());
                }
            });
            for (String[] r : rows) {
                StringBuilder line = new StringBuilder();
                for (int i = 0; i < r.length; i++) {
                    line.append(i == r.length - 1 ? r[i] : String.format("%-" + (widths[i] + 3) + "s", r[i]));
                }
                out().println(line.toString().stripTrailing());
            }
            return 0;
        }
    }

    @Command(name = "inspect", description = "Show networks and their containers as JSON, like docker network inspect.")
    static class Inspect extends NetworkSubcommand {
        @Parameters(arity = "1..*", paramLabel = "NETWORK")
        List<String> names = new ArrayList<>();

        @Override
        public Integer call() throws Exception {
            ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            ArrayNode all = json.createArrayNode();
            NetworkStore store = networks();
            for (String name : names) {
                all.add(describe(store.inspect(name), json));
            }
            out().println(json.writeValueAsString(all));
            return 0;
        }

        private static ObjectNode describe(NetworkInspection inspection, ObjectMapper json) {
            NetworkDefinition n = inspection.network();
            ObjectNode node = json.createObjectNode();
            node.put("Name", n.name());
            node.put("Driver", "bridge");
            node.put("Created", n.created());
            node.put("Bridge", n.bridge());
            node.put("UserDefined", n.userDefined());
            ObjectNode ipam = node.putObject("IPAM");
            ObjectNode config = ipam.putArray("Config").addObject();
            config.put("Subnet", n.subnet().toString());
            config.put("Gateway", n.gateway().toString());
            ObjectNode containers = node.putObject("Containers");
            for (NetworkAttachment a : inspection.containers()) {
                ObjectNode c = containers.putObject(a.containerId());
                c.put("Name", a.name());
                c.put("IPv4Address", a.address() + "/" + a.prefixLength());
                c.put("Ports", String.join(", ", a.ports().stream().map(Object::toString).toList()));
            }
            return node;
        }
    }

    @Command(name = "create", description = "Create a user-defined bridge network; its containers resolve each other by name.")
    static class Create extends NetworkSubcommand {
        @Option(names = "--subnet", paramLabel = "CIDR", description = "IPv4 subnet, e.g. 10.89.0.0/24 (default: a free one).")
        String subnet;

        @Option(names = {"-d", "--driver"}, paramLabel = "DRIVER", defaultValue = "bridge", description = "Only bridge.")
        String driver;

        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            if (!"bridge".equals(driver)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "network driver '" + driver
                        + "' is not supported; only bridge is");
            }
            NetworkDefinition created = networks().create(name, Optional.ofNullable(subnet).map(Subnet::parse));
            out().println(created.name());
            return 0;
        }
    }

    @Command(name = "rm", aliases = "remove", description = "Remove user-defined networks that no container uses.")
    static class Rm extends NetworkSubcommand {
        @Parameters(arity = "1..*", paramLabel = "NETWORK")
        List<String> names = new ArrayList<>();

        @Override
        public Integer call() {
            NetworkStore store = networks();
            for (String name : names) {
                store.remove(name);
                out().println(name);
            }
            return 0;
        }
    }

    @Command(name = "reset", description = {"Remove every bridge, veth and packet-filter rule of this state root, keeping the",
            "network definitions (for uninstalling, and for tests); refuses while a container exists."})
    static class Reset extends NetworkSubcommand {
        @Override
        public Integer call() {
            Path root = Main.of(spec).stateRoot();
            int containers = ContainerRuntime.open(root).list().size();
            if (containers > 0) {
                throw new NetworkException("network reset would cut off " + containers + " container(s) of " + root
                        + "; remove them first with `nvjrun rm -f`");
            }
            ContainerNetworks networks = ContainerNetworks.forRoot(root);
            networks.reap(ContainerRuntime.open(root));
            networks.networking().resetHost();
            return 0;
        }
    }
}
