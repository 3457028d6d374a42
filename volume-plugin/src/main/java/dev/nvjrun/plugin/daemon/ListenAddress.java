package dev.nvjrun.plugin.daemon;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * A parsed {@code --listen} value: {@code host:port}, {@code [v6]:port}, or {@code :port} for
 * every interface (as Go's net/http reads it).
 *
 * @param host the host to bind, {@code 0.0.0.0} for every interface
 * @param port the TCP port, 0 for any free one
 */
public record ListenAddress(String host, int port) {

    public static ListenAddress parse(String value) throws PluginException {
        int colon = value == null ? -1 : value.lastIndexOf(':');
        if (colon < 0) {
            throw new PluginException("invalid listen address '" + value + "': expected HOST:PORT, for example localhost:3476");
        }
        String host = value.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(value.substring(colon + 1));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 0 || port > 65535) {
            throw new PluginException("invalid port in listen address '" + value + "': use a number from 0 to 65535");
        }
        return new ListenAddress(host.isEmpty() ? "0.0.0.0" : host, port);
    }

    /** Whether only this machine can reach the address. */
    public boolean isLoopback() throws PluginException {
        try {
            for (InetAddress address : InetAddress.getAllByName(host)) {
                if (!address.isLoopbackAddress()) {
                    return false;
                }
            }
            return true;
        } catch (UnknownHostException e) {
            throw new PluginException("cannot resolve listen host '" + host + "': use an IP address or a known host name");
        }
    }
}
