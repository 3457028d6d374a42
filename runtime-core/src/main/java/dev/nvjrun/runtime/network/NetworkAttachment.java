package dev.nvjrun.runtime.network;

import dev.nvjrun.runtime.network.address.Ipv4Address;
import dev.nvjrun.runtime.network.port.PortMapping;
import java.util.List;

/**
 * What a container got: its interface, address, gateway, published ports (with the host ports
 * chosen), and the contents for its /etc/hosts and /etc/resolv.conf.
 */
public record NetworkAttachment(String containerId, String name, String network, String bridge,
        String interfaceName, Ipv4Address address, int prefixLength, Ipv4Address gateway, int mtu,
        List<PortMapping> ports, String hostname, String hosts, String resolvConf, String netnsPath) {

    public NetworkAttachment {
        ports = List.copyOf(ports);
    }

    NetworkAttachment withHosts(String value) {
        return new NetworkAttachment(containerId, name, network, bridge, interfaceName, address, prefixLength,
                gateway, mtu, ports, hostname, value, resolvConf, netnsPath);
    }
}
