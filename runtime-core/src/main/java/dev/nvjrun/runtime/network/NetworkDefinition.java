package dev.nvjrun.runtime.network;

import dev.nvjrun.runtime.network.address.Ipv4Address;
import dev.nvjrun.runtime.network.address.Subnet;

/**
 * A bridge network: its name, its bridge device and its subnet. Only user-defined networks
 * resolve their containers' names for each other, as in Docker. {@code created} is an ISO-8601 instant.
 */
public record NetworkDefinition(String name, String bridge, Subnet subnet, boolean userDefined, String created) {
    /** The name of the network containers join when they name none. */
    public static final String DEFAULT_NAME = "bridge";

    public Ipv4Address gateway() {
        return subnet.gateway();
    }
}
