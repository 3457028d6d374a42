package dev.nvjrun.runtime.network.port;

import dev.nvjrun.runtime.network.NetworkException;
import java.util.Locale;

/** Transport protocols a port can be published for. */
public enum Protocol {
    TCP, UDP;

    public static Protocol parse(String text, String context) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "tcp" -> TCP;
            case "udp" -> UDP;
            default -> throw new NetworkException("invalid published port '" + context + "': protocol '" + text
                    + "' is not supported; use tcp or udp");
        };
    }

    /** The name iptables and Docker use. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
