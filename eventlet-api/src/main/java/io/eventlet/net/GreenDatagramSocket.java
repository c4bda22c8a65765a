package io.eventlet.net;

import io.eventlet.internal.IoBinding;
import io.eventlet.spi.Poller;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.Objects;

/**
 * A UDP socket whose blocking calls suspend only the calling green thread, connected (one peer,
 * {@link #read}/{@link #write}) or not ({@link #receive}/{@link #send}).
 *
 * {@snippet :
 * try (GreenDatagramSocket udp = GreenDatagramSocket.bind(new InetSocketAddress("127.0.0.1", 0))) {
 *     udp.setTimeout(Duration.ofSeconds(1));
 *     ByteBuffer buf = ByteBuffer.allocate(1500);
 *     SocketAddress from = udp.receive(buf);             // SocketTimeoutException after a second
 *     buf.flip();
 *     udp.send(buf, from);                               // echo it back
 * }
 * }
 *
 * <h2>Threading</h2>
 * Thread-safe, with the rules of {@link GreenSocket}: one waiting receiver and one waiting sender
 * at a time; {@link #close()} from any thread wakes them at once. Timeouts as in
 * {@link GreenSocket#setTimeout}.
 */
public final class GreenDatagramSocket implements Closeable {
    private final DatagramChannel channel;
    private final IoBinding io;

    private GreenDatagramSocket(DatagramChannel channel) throws IOException {
        this.channel = channel;
        channel.configureBlocking(false);
        this.io = new IoBinding(channel, this);
    }

    /**
     * Opens a UDP socket bound to {@code local} (port 0 picks a free port; null binds an
     * ephemeral port on every interface).
     *
     * @param local the local address, or null
     * @return the bound socket, not connected, with no timeout
     * @throws IOException when the address cannot be bound (in use, or not local)
     */
    public static GreenDatagramSocket bind(SocketAddress local) throws IOException {
        if (local instanceof UnixDomainSocketAddress) {
            throw new IllegalArgumentException("datagram sockets here are UDP; " + local + " is a Unix-domain path");
        }
        DatagramChannel ch = local instanceof InetSocketAddress isa && isa.getAddress() instanceof java.net.Inet6Address
                ? DatagramChannel.open(StandardProtocolFamily.INET6)
                : DatagramChannel.open();
        try {
            ch.bind(local);
            return new GreenDatagramSocket(ch);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /**
     * Fixes the peer: only its datagrams are received, and {@link #read}/{@link #write} work.
     *
     * @param peer the only address to exchange datagrams with
     * @return this socket
     * @throws IOException when the socket is closed or the peer's address is unreachable
     */
    public GreenDatagramSocket connect(SocketAddress peer) throws IOException {
        Objects.requireNonNull(peer, "peer");
        channel.connect(peer);
        return this;
    }

    /**
     * Forgets the peer set by {@link #connect}.
     *
     * @return this socket
     * @throws IOException when the socket is closed
     */
    public GreenDatagramSocket disconnect() throws IOException {
        channel.disconnect();
        return this;
    }

    /**
     * Receives one datagram into {@code dst} (the excess of a longer datagram is discarded).
     *
     * @param dst where the datagram goes
     * @return the sender, or null on a non-blocking socket with nothing there
     * @throws java.net.SocketTimeoutException when the timeout passes first
     */
    public SocketAddress receive(ByteBuffer dst) throws IOException {
        long deadline = io.deadline();
        while (true) {
            SocketAddress from = channel.receive(dst);
            if (from != null || io.nonBlocking()) {
                return from;
            }
            io.awaitOp(Poller.READ, deadline, "receive");
        }
    }

    /**
     * Sends {@code src} as one datagram to {@code target}.
     *
     * @param src the datagram, from its position to its limit
     * @param target where to send it
     * @return the bytes sent: all of them, or 0 on a non-blocking socket without buffer space
     * @throws IOException when the call fails: a {@link java.net.SocketTimeoutException} when the
     *     timeout passes first, an {@link java.nio.channels.AsynchronousCloseException} when the
     *     socket is closed while waiting
     */
    public int send(ByteBuffer src, SocketAddress target) throws IOException {
        Objects.requireNonNull(target, "target");
        long deadline = io.deadline();
        while (true) {
            int n = channel.send(src, target);
            if (n != 0 || !src.hasRemaining() || io.nonBlocking()) {
                return n;
            }
            io.awaitOp(Poller.WRITE, deadline, "send");
        }
    }

    /**
     * Receives a datagram from the connected peer; returns its length (an empty datagram is 0,
     * and so is "nothing there" on a non-blocking socket — use {@link #receive} to tell them apart).
     *
     * @param dst where the datagram goes
     * @return the datagram's length as received, at most {@code dst}'s remaining space
     * @throws IOException when the call fails: a {@link java.net.SocketTimeoutException} when the
     *     timeout passes first, an {@link java.nio.channels.AsynchronousCloseException} when the
     *     socket is closed while waiting; a {@link java.nio.channels.NotYetConnectedException} when
     *     not connected
     */
    public int read(ByteBuffer dst) throws IOException {
        requireConnected();
        int before = dst.position();
        return receive(dst) == null ? 0 : dst.position() - before;
    }

    /**
     * Sends a datagram to the connected peer.
     *
     * @param src the datagram, from its position to its limit
     * @return the bytes sent: all of them, or 0 on a non-blocking socket without buffer space
     * @throws IOException when the call fails: a {@link java.net.SocketTimeoutException} when the
     *     timeout passes first, an {@link java.nio.channels.AsynchronousCloseException} when the
     *     socket is closed while waiting; a {@link java.nio.channels.NotYetConnectedException} when
     *     not connected
     */
    public int write(ByteBuffer src) throws IOException {
        requireConnected();
        long deadline = io.deadline();
        while (true) {
            int n = channel.write(src);
            if (n != 0 || !src.hasRemaining() || io.nonBlocking()) {
                return n;
            }
            io.awaitOp(Poller.WRITE, deadline, "write");
        }
    }

    private void requireConnected() {
        if (!channel.isConnected()) {
            throw new IllegalStateException(this + " is not connected: use connect(peer) first, or receive/send");
        }
    }

    /**
     * Sets the timeout of later calls: null for none, zero for non-blocking.
     *
     * @param timeout null, zero or a positive duration
     * @return this socket
     */
    public GreenDatagramSocket setTimeout(Duration timeout) {
        io.setTimeout(timeout);
        return this;
    }

    /**
     * The timeout: null for none.
     *
     * @return the timeout set by {@link #setTimeout}, zero for non-blocking, null when none is set
     */
    public Duration timeout() {
        return io.timeout();
    }

    /**
     * Sets a socket option.
     *
     * @param <T> the option's value type
     * @param name the option ({@link java.net.StandardSocketOptions})
     * @param value its new value
     * @return this socket
     * @throws IOException when the socket is closed or the option cannot be set
     */
    public <T> GreenDatagramSocket setOption(SocketOption<T> name, T value) throws IOException {
        channel.setOption(name, value);
        return this;
    }

    /**
     * Reads a socket option.
     *
     * @param <T> the option's value type
     * @param name the option
     * @return its value
     * @throws IOException when the socket is closed
     */
    public <T> T getOption(SocketOption<T> name) throws IOException {
        return channel.getOption(name);
    }

    /**
     * The local address (with the real port when bound to port 0).
     *
     * @return the address the socket is bound to
     * @throws IOException when the socket is closed
     */
    public SocketAddress localAddress() throws IOException {
        return channel.getLocalAddress();
    }

    /**
     * The connected peer, or null.
     *
     * @return the peer set by {@link #connect}, or null when not connected
     * @throws IOException when the socket is closed
     */
    public SocketAddress remoteAddress() throws IOException {
        return channel.getRemoteAddress();
    }

    /**
     * The underlying non-blocking channel.
     *
     * @return the channel; it must stay non-blocking
     */
    public DatagramChannel channel() {
        return channel;
    }

    /**
     * Whether the socket is still open.
     *
     * @return false once {@link #close()} has been called
     */
    public boolean isOpen() {
        return channel.isOpen();
    }

    /** Closes the socket; waiting threads are woken with an exception at once. */
    @Override
    public void close() throws IOException {
        io.closeChannel();
    }

    @Override
    public String toString() {
        return "GreenDatagramSocket[" + IoBinding.describe(channel) + "]";
    }
}
