package dev.nvjrun.launcher.container;

import dev.nvjrun.launcher.network.NetworkFlags;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;

/** The network flags of {@code run} and {@code create}, as Docker spells them; a mixin of {@link CreateOptions}. */
final class NetworkOptions {
    @Option(names = {"--network", "--net"}, paramLabel = "NETWORK", defaultValue = "bridge",
            description = "bridge (default: own address on the host bridge, NAT), none (loopback only), host,"
                    + " container:NAME (share that container's network) or a network from `nvjrun network ls`.")
    String network = "bridge";

    @Option(names = {"-p", "--publish"}, paramLabel = "[IP:][HOST:]CTR[/udp]",
            description = "Publish a container port on the host, e.g. 8080:80 or 127.0.0.1:8888:8888.")
    List<String> publish = new ArrayList<>();

    @Option(names = {"-P", "--publish-all"}, description = "Publish every port the image exposes on a free host port.")
    boolean publishAll;

    @Option(names = "--dns", paramLabel = "IP", description = "DNS server for the container's resolv.conf.")
    List<String> dns = new ArrayList<>();

    @Option(names = "--dns-search", paramLabel = "DOMAIN", description = "DNS search domain.")
    List<String> dnsSearch = new ArrayList<>();

    @Option(names = {"--dns-option", "--dns-opt"}, paramLabel = "OPTION", description = "resolv.conf option, e.g. ndots:2.")
    List<String> dnsOptions = new ArrayList<>();

    @Option(names = "--add-host", paramLabel = "NAME:IP", description = "Add a line to /etc/hosts (IP may be host-gateway).")
    List<String> addHost = new ArrayList<>();

    /** Parsed and checked; {@code hostname} is {@code -h}, which conflicts with {@code container:NAME}. */
    NetworkFlags flags(String hostname) {
        return NetworkFlags.parse(network, publish, publishAll, dns, dnsSearch, dnsOptions, addHost, hostname);
    }
}
