package dev.nvjrun.launcher.network;

import dev.nvjrun.launcher.Main;
import dev.nvjrun.runtime.container.ContainerRuntime;
import dev.nvjrun.runtime.container.ContainerState;
import dev.nvjrun.runtime.network.NetworkException;
import dev.nvjrun.runtime.network.port.PortMapping;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code nvjrun port CONTAINER [PORT[/PROTO]]}: the published ports, in Docker's notation. */
@Command(name = "port", description = "List a container's published ports, or the host address of one of them.")
public class PortCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "CONTAINER", description = "Container name or id.")
    String container;

    @Parameters(index = "1", arity = "0..1", paramLabel = "PORT[/PROTO]", description = "Show only this container port.")
    String port;

    @Override
    public Integer call() {
        Path root = Main.of(spec).stateRoot();
        ContainerState state = ContainerRuntime.open(root).inspect(container);
        ContainerNetworks networks = ContainerNetworks.forRoot(root);
        List<PortMapping> ports = networks.names().owns(state.spec().networkNamespace())
                ? networks.networking().ports(state.id()) : List.of();
        PrintWriter out = spec.commandLine().getOut();
        if (port == null) {
            ports.forEach(out::println);
            return 0;
        }
        PortMapping wanted = PortMapping.parse(port);
        if (wanted.hostPort() != 0 || !wanted.hostIp().isEmpty()) {
            throw new NetworkException("invalid port '" + port + "': give a container port such as 80 or 53/udp");
        }
        List<PortMapping> matching = ports.stream()
                .filter(p -> p.containerPort() == wanted.containerPort() && p.protocol() == wanted.protocol()).toList();
        if (matching.isEmpty()) {
            throw new NetworkException("no public port '" + wanted.containerPort() + "/" + wanted.protocol().id()
                    + "' is published for container " + state.name() + "; publish it with -p when creating the container");
        }
        matching.forEach(p -> out.println((p.hostIp().isEmpty() ? "0.0.0.0" : p.hostIp()) + ":" + p.hostPort()));
        return 0;
    }
}
