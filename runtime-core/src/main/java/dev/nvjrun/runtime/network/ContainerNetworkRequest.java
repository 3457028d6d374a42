package dev.nvjrun.runtime.network;

import dev.nvjrun.runtime.network.dns.HostEntry;
import dev.nvjrun.runtime.network.port.PortMapping;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What the container runtime asks of networking for one container, as plain data.
 *
 * @param containerId the container's id (letters, digits, '_', '.', '-')
 * @param name        the container's name, resolvable by its peers on user-defined networks
 * @param netnsPath   the container's network namespace: {@code /proc/PID/ns/net} or a bind-mounted nsfs file
 * @param network     the bridge network to join ({@code bridge} by default)
 * @param ports       {@code -p} and {@code -P} mappings; host port 0 picks a free port
 * @param hostname    {@code --hostname}; empty uses the first 12 characters of the id, as Docker does
 * @param hostsFile   the host file the runtime bind-mounts as the container's /etc/hosts; when given,
 *                    nvjrun writes it and rewrites it in place when peers come and go
 */
public record ContainerNetworkRequest(String containerId, String name, Path netnsPath, String network,
        List<PortMapping> ports, Optional<String> hostname, List<String> dns, List<String> dnsSearch,
        List<String> dnsOptions, List<HostEntry> extraHosts, Optional<Path> hostsFile) {

    public ContainerNetworkRequest {
        ports = List.copyOf(ports);
        dns = List.copyOf(dns);
        dnsSearch = List.copyOf(dnsSearch);
        dnsOptions = List.copyOf(dnsOptions);
        extraHosts = List.copyOf(extraHosts);
    }

    /** A request for the default network with no ports and the host's DNS settings. */
    public static ContainerNetworkRequest of(String containerId, String name, Path netnsPath) {
        return new ContainerNetworkRequest(containerId, name, netnsPath, NetworkDefinition.DEFAULT_NAME, List.of(),
                Optional.empty(), List.of(), List.of(), List.of(), List.of(), Optional.empty());
    }

    public ContainerNetworkRequest withNetwork(String value) {
        return new ContainerNetworkRequest(containerId, name, netnsPath, value, ports, hostname, dns, dnsSearch,
                dnsOptions, extraHosts, hostsFile);
    }

    public ContainerNetworkRequest withPorts(List<PortMapping> value) {
        return new ContainerNetworkRequest(containerId, name, netnsPath, network, value, hostname, dns, dnsSearch,
                dnsOptions, extraHosts, hostsFile);
    }

    public ContainerNetworkRequest withHostname(String value) {
        return new ContainerNetworkRequest(containerId, name, netnsPath, network, ports, Optional.of(value), dns,
                dnsSearch, dnsOptions, extraHosts, hostsFile);
    }

    public ContainerNetworkRequest withDns(List<String> servers, List<String> search, List<String> options) {
        return new ContainerNetworkRequest(containerId, name, netnsPath, network, ports, hostname, servers, search,
                options, extraHosts, hostsFile);
    }

    public ContainerNetworkRequest withExtraHosts(List<HostEntry> value) {
        return new ContainerNetworkRequest(containerId, name, netnsPath, network, ports, hostname, dns, dnsSearch,
                dnsOptions, value, hostsFile);
    }

    public ContainerNetworkRequest withHostsFile(Path value) {
        return new ContainerNetworkRequest(containerId, name, netnsPath, network, ports, hostname, dns, dnsSearch,
                dnsOptions, extraHosts, Optional.of(value));
    }
}
