package dev.nvjrun.runtime.network.netlink;

import dev.nvjrun.runtime.network.address.Ipv4Address;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

import static dev.nvjrun.runtime.network.netlink.RouteRequest.AF_INET;
import static dev.nvjrun.runtime.network.netlink.RouteRequest.NLM_F_DUMP;
import static dev.nvjrun.runtime.network.netlink.RouteRequest.RTA_OIF;
import static dev.nvjrun.runtime.network.netlink.RouteRequest.RTM_GETROUTE;
import static dev.nvjrun.runtime.network.netlink.RouteRequest.RTM_NEWROUTE;

/**
 * An IPv4 unicast route of the main table, what {@code ip -4 route show} lists: its destination
 * (0.0.0.0/0 for the default route), the index of the device it leaves by, and its own MTU metric
 * (0 when it has none and the device's applies).
 */
public record MainRoute(Ipv4Address destination, int prefixLength, int outputIndex, int mtu) {
    private static final short RTA_DST = 1;
    private static final short RTA_METRICS = 8;
    private static final short RTA_TABLE = 15;
    private static final short RTAX_MTU = 2;
    private static final int RT_TABLE_MAIN = 254;
    private static final int RTN_UNICAST = 1;
    private static final int RTMSG_LENGTH = 12;

    /** Every such route of the socket's namespace, in the kernel's order. */
    public static List<MainRoute> list(RouteSocket socket) {
        List<MainRoute> routes = new ArrayList<>();
        for (RouteSocket.Reply reply : socket.dump(RouteRequest.of(RTM_GETROUTE, NLM_F_DUMP, "list the routes").rtmsgDump(AF_INET))) {
            if (reply.type() == RTM_NEWROUTE) {
                parse(reply.payload(), routes);
            }
        }
        return routes;
    }

    /** A {@code struct rtmsg} and its attributes; only main-table unicast routes are kept. */
    private static void parse(ByteBuffer m, List<MainRoute> routes) {
        int prefixLength = m.get(1) & 0xff;
        int table = m.get(4) & 0xff;
        int type = m.get(7) & 0xff;
        int destination = 0;
        int outputIndex = 0;
        int mtu = 0;
        for (int at = RTMSG_LENGTH; at + 4 <= m.limit(); ) {
            int length = m.getShort(at) & 0xffff;
            if (length < 4 || at + length > m.limit()) {
                break;
            }
            short attribute = m.getShort(at + 2);
            if (attribute == RTA_DST && length >= 8) {
                destination = m.duplicate().order(ByteOrder.BIG_ENDIAN).getInt(at + 4); // network byte order
            } else if (attribute == RTA_OIF && length >= 8) {
                outputIndex = m.getInt(at + 4);
            } else if (attribute == RTA_TABLE && length >= 8) {
                table = m.getInt(at + 4);
            } else if (attribute == RTA_METRICS) {
                mtu = metric(m, at + 4, at + length, RTAX_MTU);
            }
            at += (length + 3) & ~3;
        }
        if (table == RT_TABLE_MAIN && type == RTN_UNICAST) {
            routes.add(new MainRoute(new Ipv4Address(destination), prefixLength, outputIndex, mtu));
        }
    }

    private static int metric(ByteBuffer m, int from, int to, short wanted) {
        for (int at = from; at + 8 <= to; ) {
            int length = m.getShort(at) & 0xffff;
            if (length < 4) {
                break;
            }
            if (m.getShort(at + 2) == wanted) {
                return m.getInt(at + 4);
            }
            at += (length + 3) & ~3;
        }
        return 0;
    }
}
