package dev.nvjrun.runtime.network.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * One rtnetlink request as the kernel reads it (uapi linux/netlink.h, linux/rtnetlink.h): a
 * {@code nlmsghdr}, the family header of the message type ({@code ifinfomsg}, {@code ifaddrmsg},
 * {@code rtmsg}), then attributes, each padded to four bytes, nested ones carrying their own length.
 * Host byte order throughout, as netlink wants.
 */
public final class RouteRequest {
    public static final short RTM_NEWLINK = 16;
    public static final short RTM_DELLINK = 17;
    public static final short RTM_NEWADDR = 20;
    public static final short RTM_NEWROUTE = 24;
    public static final short RTM_GETROUTE = 26;

    public static final short NLM_F_REQUEST = 0x1;
    public static final short NLM_F_ACK = 0x4;
    public static final short NLM_F_REPLACE = 0x100;
    public static final short NLM_F_EXCL = 0x200;
    public static final short NLM_F_CREATE = 0x400;
    public static final short NLM_F_DUMP = 0x300;

    public static final short IFLA_IFNAME = 3;
    public static final short IFLA_MTU = 4;
    public static final short IFLA_MASTER = 10;
    public static final short IFLA_LINKINFO = 18;
    public static final short IFLA_NET_NS_FD = 28;
    public static final short IFLA_INFO_KIND = 1;
    public static final short IFLA_INFO_DATA = 2;
    public static final short VETH_INFO_PEER = 1;
    public static final short IFA_ADDRESS = 1;
    public static final short IFA_LOCAL = 2;
    public static final short RTA_OIF = 4;
    public static final short RTA_GATEWAY = 5;

    public static final byte AF_UNSPEC = 0;
    public static final byte AF_INET = 2;
    public static final int IFF_UP = 0x1;
    static final int HEADER_LENGTH = 16;

    private final ByteBuffer buffer = ByteBuffer.allocate(4096).order(ByteOrder.nativeOrder());
    private final Deque<Integer> openNests = new ArrayDeque<>();
    private final String description;

    private RouteRequest(short type, short flags, String description) {
        this.description = description;
        buffer.putInt(0).putShort(type).putShort((short) (flags | NLM_F_REQUEST)).putInt(0).putInt(0);
    }

    /** A request of {@code type}; {@code description} names it in errors ("create veth nvj1234"). */
    public static RouteRequest of(short type, short flags, String description) {
        return new RouteRequest(type, flags, description);
    }

    /** {@code struct ifinfomsg}: the link by index (0: by its IFLA_IFNAME), flags to set among {@code change}. */
    public RouteRequest ifinfo(int index, int flags, int change) {
        buffer.put(AF_UNSPEC).put((byte) 0).putShort((short) 0).putInt(index).putInt(flags).putInt(change);
        return this;
    }

    /** {@code struct ifaddrmsg} of an IPv4 address, universe scope. */
    public RouteRequest ifaddr(int prefixLength, int index) {
        buffer.put(AF_INET).put((byte) prefixLength).put((byte) 0).put((byte) 0).putInt(index);
        return this;
    }

    /** {@code struct rtmsg} of an IPv4 unicast route in the main table, as {@code ip route add} sends it. */
    public RouteRequest rtmsg(int destinationLength) {
        buffer.put(AF_INET).put((byte) destinationLength).put((byte) 0).put((byte) 0)
                .put((byte) 254 /* RT_TABLE_MAIN */).put((byte) 3 /* RTPROT_BOOT */).put((byte) 0 /* RT_SCOPE_UNIVERSE */)
                .put((byte) 1 /* RTN_UNICAST */).putInt(0);
        return this;
    }

    /** The bare {@code struct rtmsg} of a dump request for one family. */
    public RouteRequest rtmsgDump(byte family) {
        buffer.put(family).put(new byte[11]);
        return this;
    }

    /** A zeroed {@code struct ifinfomsg}, as the peer of a veth starts. */
    public RouteRequest emptyIfinfo() {
        return ifinfo(0, 0, 0);
    }

    public RouteRequest string(short type, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.US_ASCII);
        attributeHeader(type, bytes.length + 1);
        buffer.put(bytes).put((byte) 0);
        pad();
        return this;
    }

    public RouteRequest u32(short type, int value) {
        attributeHeader(type, 4);
        buffer.putInt(value);
        return this;
    }

    /** An IPv4 address in network byte order, whatever the host's. */
    public RouteRequest ipv4(short type, byte[] address) {
        attributeHeader(type, 4);
        buffer.put(address);
        return this;
    }

    public RouteRequest beginNested(short type) {
        openNests.push(buffer.position());
        buffer.putShort((short) 0).putShort(type);
        return this;
    }

    public RouteRequest endNested() {
        int start = openNests.pop();
        buffer.putShort(start, (short) (buffer.position() - start));
        return this;
    }

    String description() {
        return description;
    }

    short type() {
        return buffer.getShort(4);
    }

    /** The finished message with its length, sequence number and the sender's extra flags (ACK) written in. */
    byte[] bytes(int sequence, short extraFlags) {
        if (!openNests.isEmpty()) {
            throw new IllegalStateException("an attribute of '" + description + "' is still open");
        }
        ByteBuffer copy = buffer.duplicate().order(ByteOrder.nativeOrder());
        int length = buffer.position();
        copy.putInt(0, length).putShort(6, (short) (copy.getShort(6) | extraFlags)).putInt(8, sequence);
        byte[] out = new byte[length];
        copy.get(0, out);
        return out;
    }

    private void attributeHeader(short type, int payloadLength) {
        buffer.putShort((short) (4 + payloadLength)).putShort(type);
    }

    private void pad() {
        while (buffer.position() % 4 != 0) {
            buffer.put((byte) 0);
        }
    }
}
