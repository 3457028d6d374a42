package dev.nvjrun.launcher.network;

import dev.nvjrun.runtime.network.NetworkException;
import dev.nvjrun.runtime.network.NetworkMode;
import dev.nvjrun.runtime.network.dns.HostEntry;
import dev.nvjrun.runtime.network.dns.ResolvConf;
import dev.nvjrun.runtime.network.port.PortMapping;

import java.util.List;

/**
 * The network flags of {@code run}/{@code create}, parsed and checked before anything is made:
 * {@code --network}, {@code -p}, {@code -P}, {@code --dns*} and {@code --add-host}.
 */
public record NetworkFlags(NetworkMode mode, List<PortMapping> ports, boolean publishAll, List<String> dns,
                           List<String> dnsSearch, List<String> dnsOptions, List<HostEntry> extraHosts) {

    public NetworkFlags {
        ports = List.copyOf(ports);
        dns = List.copyOf(dns);
        dnsSearch = List.copyOf(dnsSearch);
        dnsOptions = List.copyOf(dnsOptions);
        extraHosts = List.copyOf(extraHosts);
    }

    /**
     * @param network  the {@code --network} value: bridge (default), none, host, container:NAME or a user network
     * @param hostname {@code -h}, null when not given (it conflicts with sharing another container's network)
     */
    public static NetworkFlags parse(String network, List<String> publish, boolean publishAll, List<String> dns,
            List<String> dnsSearch, List<String> dnsOptions, List<String> addHost, String hostname) {
        NetworkMode mode = NetworkMode.parse(network == null ? "bridge" : network.strip());
        if (mode instanceof NetworkMode.Bridge bridge && !bridge.network().matches("[A-Za-z0-9][A-Za-z0-9_.-]*")) {
            throw new NetworkException("network '" + network + "' is not a valid name; use bridge, none, host,"
                    + " container:NAME or the name of a network from `nvjrun network ls`");
        }
        List<PortMapping> ports = publish.stream().map(PortMapping::parse).toList();
        List<HostEntry> hosts = addHost.stream().map(HostEntry::parse).toList();
        ResolvConf.forContainer("", dns, dnsSearch, dnsOptions); // checks the values
        boolean bridged = mode instanceof NetworkMode.Bridge;
        if (!bridged && (!ports.isEmpty() || publishAll)) {
            throw new NetworkException("publishing ports (-p/-P) needs a bridge network, not --network " + network
                    + "; drop -p/-P or use --network bridge");
        }
        if (mode instanceof NetworkMode.Container && (!dns.isEmpty() || !dnsSearch.isEmpty() || !dnsOptions.isEmpty()
                || !hosts.isEmpty() || hostname != null)) {
            throw new NetworkException("--dns, --add-host and --hostname cannot be combined with --network " + network
                    + ", whose container already decides them; drop those flags");
        }
        return new NetworkFlags(mode, ports, publishAll, dns, dnsSearch, dnsOptions, hosts);
    }

    public boolean host() {
        return mode instanceof NetworkMode.Host;
    }

    /** Whether the container's /etc/resolv.conf differs from the host's one. */
    boolean customDns() {
        return !dns.isEmpty() || !dnsSearch.isEmpty() || !dnsOptions.isEmpty();
    }
}
