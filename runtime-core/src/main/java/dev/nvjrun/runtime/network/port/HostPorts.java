package dev.nvjrun.runtime.network.port;

import dev.nvjrun.runtime.network.NetworkException;
import java.io.IOException;
import java.net.BindException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/** Decides the host side of published ports: picks free ones for port 0 and refuses clashes. */
public final class HostPorts {
    private HostPorts() {
    }

    /**
     * The requested mappings with every host port decided.
     *
     * @param published what other containers already publish
     */
    public static List<PortMapping> assign(List<PortMapping> requested, List<PortMapping> published) {
        List<PortMapping> taken = new ArrayList<>(published);
        List<PortMapping> chosen = new ArrayList<>();
        for (PortMapping port : requested) {
            PortMapping resolved = port.hostPort() != 0 ? port : port.withHostPort(freePort(port, taken));
            for (PortMapping other : taken) {
                if (resolved.conflictsWith(other)) {
                    throw new NetworkException("host port " + resolved.hostPort() + "/" + resolved.protocol().id()
                            + " is already published (" + other + "); choose another host port or let nvjrun pick"
                            + " one with -p " + port.containerPort());
                }
            }
            if (port.hostPort() != 0) {
                probe(resolved);
            }
            taken.add(resolved);
            chosen.add(resolved);
        }
        return chosen;
    }

    /** A port the kernel reports free right now, and that no other container publishes. */
    private static int freePort(PortMapping port, List<PortMapping> taken) {
        for (int attempt = 0; attempt < 20; attempt++) {
            int candidate = probe(port);
            if (taken.stream().noneMatch(other -> port.withHostPort(candidate).conflictsWith(other))) {
                return candidate;
            }
        }
        throw new NetworkException("no free host port found for " + port.containerPort() + "/" + port.protocol().id()
                + "; publish it on an explicit host port");
    }

    /**
     * Binds the host address and port for a moment: DNAT would silently take the traffic of a
     * host service on that port, and an address that is not the host's would never match.
     * Returns the port bound (the kernel's pick when the mapping asks for port 0).
     */
    private static int probe(PortMapping port) {
        String where = (port.hostIp().isEmpty() ? "0.0.0.0" : port.hostIp()) + ":" + port.hostPort() + "/"
                + port.protocol().id();
        try {
            InetAddress bind = port.hostIp().isEmpty() ? null : InetAddress.getByName(port.hostIp());
            InetSocketAddress address = new InetSocketAddress(bind, port.hostPort());
            if (port.protocol() == Protocol.UDP) {
                try (DatagramSocket socket = new DatagramSocket(address)) {
                    return socket.getLocalPort();
                }
            }
            try (ServerSocket socket = new ServerSocket()) {
                socket.setReuseAddress(true);
                socket.bind(address);
                return socket.getLocalPort();
            }
        } catch (BindException e) {
            if (String.valueOf(e.getMessage()).contains("in use")) {
                throw new NetworkException("cannot publish " + where + ": a process on the host already uses it;"
                        + " stop it or choose another host port", e);
            }
            throw new NetworkException("cannot publish " + where + ": " + port.hostIp() + " is not an address of this"
                    + " host; use one of its addresses or leave the host IP out", e);
        } catch (IOException e) {
            throw new NetworkException("cannot publish " + where + ": " + e.getMessage()
                    + "; use an address of this host", e);
        }
    }
}
