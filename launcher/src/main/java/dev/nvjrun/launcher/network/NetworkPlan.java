package dev.nvjrun.launcher.network;

import dev.nvjrun.runtime.network.NetworkMode;
import dev.nvjrun.runtime.network.port.PortMapping;
import dev.nvjrun.runtime.spec.ContainerSpec;
import dev.nvjrun.runtime.spec.Namespace;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * How one container will be networked, decided before it is created: the namespace it joins (a
 * fresh file for a bridge network, another container's, the host's, or an empty one of its own)
 * and, for a bridge, the ports it publishes ({@code -P} already resolved against the image).
 *
 * @param netnsFile  the namespace file to join; null: none of its own (host) or a new empty one (none)
 * @param ownsNetns  whether the file is made for this container (bridge) rather than another container's
 * @param sharedEtc  the /etc directory of the container whose network is shared, else null
 */
public record NetworkPlan(NetworkFlags flags, Path netnsFile, boolean ownsNetns, List<PortMapping> ports, Path sharedEtc) {

    public NetworkPlan {
        ports = List.copyOf(ports);
    }

    /** The spec with the network namespace decided here. */
    public ContainerSpec applyTo(ContainerSpec spec) {
        if (netnsFile != null) {
            return spec.withNetworkNamespace(netnsFile);
        }
        if (flags.mode() instanceof NetworkMode.Host) {
            Set<Namespace> namespaces = EnumSet.copyOf(spec.namespaces());
            namespaces.remove(Namespace.NETWORK);
            return spec.withNamespaces(namespaces);
        }
        return spec;
    }
}
