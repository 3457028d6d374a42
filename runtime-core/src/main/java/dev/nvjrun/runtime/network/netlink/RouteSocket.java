package dev.nvjrun.runtime.network.netlink;

import com.sun.jna.LastErrorException;
import com.sun.jna.Pointer;
import dev.nvjrun.runtime.libc.LibcBinding;
import dev.nvjrun.runtime.network.NamespaceThread;
import dev.nvjrun.runtime.network.NetworkException;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A {@code NETLINK_ROUTE} socket: what iproute2 does for nvjrun's bridge network, without starting
 * ip (each process cost a container start milliseconds). A socket belongs to the network namespace
 * of the thread that opened it; {@link #inNamespace} opens one in a container's namespace on a
 * thread of its own that enters it with setns(2) and ends with the work, so no other JVM thread ever
 * runs in a container's namespace.
 */
public final class RouteSocket implements AutoCloseable {
    private static final int AF_NETLINK = 16;
    private static final int SOCK_RAW = 3;
    private static final int SOCK_CLOEXEC = 0x80000;
    private static final int NETLINK_ROUTE = 0;
    private static final int CLONE_NEWNET = 0x40000000;
    private static final int O_RDONLY_CLOEXEC = 0x80000;
    private static final short NLMSG_ERROR = 2;
    private static final short NLMSG_DONE = 3;
    private static final int NLM_F_MULTI = 0x2;
    /** Large enough for any dump part the kernel sends (it fills at most 32 KiB per datagram). */
    private static final int RECEIVE_BUFFER = 64 * 1024;
    /** {@code struct sockaddr_nl} of the kernel: family AF_NETLINK, port 0, no groups. */
    private static final byte[] KERNEL = ByteBuffer.allocate(12).order(ByteOrder.nativeOrder()).putShort((short) AF_NETLINK).array();

    /** Direct-mapped, like the snapshot mounts: no proxy class, no reflection per call. */
    private static final class LibC {
        static {
            LibcBinding.register(LibC.class);
        }

        static native int socket(int domain, int type, int protocol) throws LastErrorException;

        static native long sendto(int fd, byte[] buffer, long length, int flags, byte[] address, int addressLength)
                throws LastErrorException;

        static native long recv(int fd, byte[] buffer, long length, int flags) throws LastErrorException;

        static native int open(String path, int flags) throws LastErrorException;

        static native int close(int fd) throws LastErrorException;

        static native int setns(int fd, int type) throws LastErrorException;

        static native int if_nametoindex(String name);

        static native Pointer if_indextoname(int index, byte[] name);

        static native String strerror(int errnum);
    }

    /** One message of a reply: its type, flags and what follows its header. */
    public record Reply(short type, short flags, ByteBuffer payload) {
    }

    private final int fd;
    private int sequence;

    private RouteSocket(int fd) {
        this.fd = fd;
    }

    /** A socket in the calling thread's network namespace. */
    public static RouteSocket open() {
        try {
            return new RouteSocket(LibC.socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE));
        } catch (LastErrorException e) {
            throw new NetworkException("cannot open a netlink socket: " + LibC.strerror(e.getErrorCode())
                    + "; run nvjrun as root", e);
        }
    }

    /**
     * Runs {@code work} with a socket in the network namespace bound at {@code namespace}, on a thread
     * that enters the namespace and ends when the work does; returns when it has ended, with its failure.
     */
    public static void inNamespace(Path namespace, Consumer<RouteSocket> work) {
        NamespaceThread.run("nvjrun-netns-config", () -> {
            try (OpenNamespace ns = OpenNamespace.open(namespace)) {
                try {
                    LibC.setns(ns.fd(), CLONE_NEWNET);
                } catch (LastErrorException e) {
                    throw new NetworkException("cannot enter the network namespace " + namespace + ": "
                            + LibC.strerror(e.getErrorCode()), e);
                }
                try (RouteSocket socket = open()) {
                    work.accept(socket);
                }
            }
        });
    }

    /** A network namespace file held open, for IFLA_NET_NS_FD and setns(2). */
    public record OpenNamespace(int fd) implements AutoCloseable {
        public static OpenNamespace open(Path namespace) {
            try {
                return new OpenNamespace(LibC.open(namespace.toString(), O_RDONLY_CLOEXEC));
            } catch (LastErrorException e) {
                throw new NetworkException("cannot open the network namespace " + namespace + ": "
                        + LibC.strerror(e.getErrorCode()), e);
            }
        }

        @Override
        public void close() {
            LibC.close(fd);
        }
    }

    /** The index of a link in this socket's thread's namespace, or 0 when there is no such link. */
    public static int indexOf(String link) {
        return LibC.if_nametoindex(link);
    }

    /** The name of the link with this index in the calling thread's namespace, or null. */
    public static String nameOf(int index) {
        byte[] name = new byte[16]; // IF_NAMESIZE
        if (LibC.if_indextoname(index, name) == null) {
            return null;
        }
        int end = 0;
        while (end < name.length && name[end] != 0) {
            end++;
        }
        return new String(name, 0, end, java.nio.charset.StandardCharsets.US_ASCII);
    }

    /** Sends a request that changes something and waits for the kernel's acknowledgement; fails with its error. */
    public void send(RouteRequest request) {
        int seq = transmit(request, RouteRequest.NLM_F_ACK);
        for (Reply reply : receive(request, seq)) {
            if (reply.type() == NLMSG_ERROR) {
                return; // an error of 0: the acknowledgement (receive threw on a real error)
            }
        }
        throw new NetworkException("netlink: no acknowledgement for " + request.description());
    }

    /** Sends a dump request and returns every message of the answer. */
    public List<Reply> dump(RouteRequest request) {
        int seq = transmit(request, (short) 0);
        List<Reply> all = new ArrayList<>();
        while (true) {
            List<Reply> part = receive(request, seq);
            for (Reply reply : part) {
                if (reply.type() == NLMSG_DONE) {
                    return all;
                }
                all.add(reply);
            }
            if (part.isEmpty() || (part.get(part.size() - 1).flags() & NLM_F_MULTI) == 0) {
                return all;
            }
        }
    }

    private int transmit(RouteRequest request, short extraFlags) {
        int seq = ++sequence;
        byte[] message = request.bytes(seq, extraFlags);
        try {
            LibC.sendto(fd, message, message.length, 0, KERNEL, KERNEL.length);
        } catch (LastErrorException e) {
            throw new NetworkException("netlink: cannot send " + request.description() + ": " + LibC.strerror(e.getErrorCode()), e);
        }
        return seq;
    }

    /** One datagram's messages for {@code seq}; an error message becomes an exception. */
    private List<Reply> receive(RouteRequest request, int seq) {
        byte[] buffer = new byte[RECEIVE_BUFFER];
        long length;
        try {
            length = LibC.recv(fd, buffer, buffer.length, 0);
        } catch (LastErrorException e) {
            throw new NetworkException("netlink: no answer to " + request.description() + ": " + LibC.strerror(e.getErrorCode()), e);
        }
        ByteBuffer in = ByteBuffer.wrap(buffer, 0, (int) length).order(ByteOrder.nativeOrder());
        List<Reply> replies = new ArrayList<>();
        while (in.remaining() >= RouteRequest.HEADER_LENGTH) {
            int start = in.position();
            int messageLength = in.getInt(start);
            short type = in.getShort(start + 4);
            short flags = in.getShort(start + 6);
            int messageSeq = in.getInt(start + 8);
            if (messageLength < RouteRequest.HEADER_LENGTH || start + messageLength > in.limit()) {
                throw new NetworkException("netlink: a malformed answer to " + request.description());
            }
            ByteBuffer payload = in.slice(start + RouteRequest.HEADER_LENGTH, messageLength - RouteRequest.HEADER_LENGTH)
                    .order(ByteOrder.nativeOrder());
            if (messageSeq == seq) {
                if (type == NLMSG_ERROR) {
                    int error = -payload.getInt(0);
                    if (error != 0) {
                        throw new NetworkException("cannot " + request.description() + ": " + LibC.strerror(error));
                    }
                }
                replies.add(new Reply(type, flags, payload));
            }
            in.position(start + ((messageLength + 3) & ~3));
        }
        return replies;
    }

    @Override
    public void close() {
        LibC.close(fd);
    }
}
