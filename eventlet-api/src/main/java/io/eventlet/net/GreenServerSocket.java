package io.eventlet.net;

import io.eventlet.internal.IoBinding;
import io.eventlet.spi.Poller;
import java.io.Closeable;
import java.io.IOException;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Objects;

/**
 * A listening socket whose {@link #accept()} suspends only the calling green thread. Made by
 * {@link io.eventlet.Eventlet#listen(int)} and its siblings.
 *
 * {@snippet :
 * try (GreenServerSocket server = Eventlet.listen(8080)) {
 *     while (true) {
 *         GreenSocket client = server.accept();
 *         Eventlet.spawnN(() -> handle(client));
 *     }
 * }
 * }
 *
 * <h2>Threading</h2>
 * Thread-safe, with the rules of {@link GreenSocket}: one green thread of one hub (or one plain
 * thread) waits in {@link #accept()} at a time; {@link #close()} from any thread wakes it at once
 * with {@link java.nio.channels.AsynchronousCloseException}.
 */
public final class GreenServerSocket implements Closeable {
    private final ServerSocketChannel channel;
    private final IoBinding io;
    /** The thread {@link #close()} unparks: the serve loop while it backs off after a failed accept. */
    private volatile Thread wakeOnClose;

    private GreenServerSocket(ServerSocketChannel channel) throws IOException {
        this.channel = channel;
        channel.configureBlocking(false);
        this.io = new IoBinding(channel, this);
    }

    /**
     * Accepts connections until this listener is closed, each handled by {@code handler} in its
     * own green thread, at most {@code concurrency} at once (the next one waits in the listen
     * backlog); what {@link io.eventlet.Eventlet#serve(GreenServerSocket, ConnectionHandler, int,
     * java.util.function.BiConsumer)} does, which is how most programs call it.
     *
     * @param handler runs once per connection, in the connection's green thread
     * @param concurrency the most connections handled at once
     * @param errorHandler gets a handler's exception with its connection; null logs it (SLF4J)
     * @throws IOException when the listener's timeout passed ({@link SocketTimeoutException});
     *     closing the listener, from any thread, makes {@code serve} return
     */
    public void serve(ConnectionHandler handler, int concurrency, java.util.function.BiConsumer<GreenSocket, Throwable> errorHandler) throws IOException {
        Objects.requireNonNull(handler, "handler");
        Serve.serve(this, handler, concurrency, errorHandler);
    }

    /**
     * Opens, configures and binds a listening socket.
     *
     * @return the listening socket, with no timeout
     * @param address an {@link java.net.InetSocketAddress} (port 0 picks a free port) or a
     *     {@link UnixDomainSocketAddress}
     * @param backlog the accept queue length; 0 or less means the JDK's default
     * @param reusePort SO_REUSEPORT: several listeners may bind the same address and the kernel
     *     spreads connections over them (Linux); refused with a clear error where unsupported
     * @see io.eventlet.Eventlet#listen(SocketAddress, int, boolean)
     * @throws IOException when the socket cannot be bound (a {@link java.net.BindException} naming
     *     the address when it is in use)
     */
    public static GreenServerSocket open(SocketAddress address, int backlog, boolean reusePort) throws IOException {
        Objects.requireNonNull(address, "address");
        boolean unix = address instanceof UnixDomainSocketAddress;
        ServerSocketChannel ch = unix ? ServerSocketChannel.open(StandardProtocolFamily.UNIX) : ServerSocketChannel.open();
        try {
            if (!unix) {
                ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
                if (reusePort) {
                    if (!ch.supportedOptions().contains(StandardSocketOptions.SO_REUSEPORT)) {
                        throw new UnsupportedOperationException("SO_REUSEPORT is not supported on this platform");
                    }
                    ch.setOption(StandardSocketOptions.SO_REUSEPORT, true);
                }
            } else if (reusePort) {
                throw new IllegalArgumentException("SO_REUSEPORT does not apply to Unix-domain socket " + address);
            }
            try {
                ch.bind(address, Math.max(0, backlog));
            } catch (java.net.BindException e) {
                java.net.BindException b = new java.net.BindException(e.getMessage() + ": " + address);
                b.initCause(e);
                throw b;
            }
            return new GreenServerSocket(ch);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /**
     * Waits for and returns the next connection.
     *
     * @return the connection, or null on a non-blocking server socket (timeout zero) with none waiting
     * @throws SocketTimeoutException when the timeout passes first
     * @throws java.nio.channels.AsynchronousCloseException when the socket is closed while waiting
     */
    public GreenSocket accept() throws IOException {
        long deadline = io.deadline();
        while (true) {
            SocketChannel c = channel.accept();
            if (c != null) {
                try {
                    return new GreenSocket(c);
                } catch (IOException | RuntimeException e) {
                    c.close();
                    throw e;
                }
            }
            if (io.nonBlocking()) {
                return null;
            }
            io.awaitOp(Poller.READ, deadline, "accept");
        }
    }

    /**
     * Sets the timeout of {@link #accept()}: null for none, zero for non-blocking.
     *
     * @param timeout null, zero or a positive duration
     * @return this socket
     */
    public GreenServerSocket setTimeout(Duration timeout) {
        io.setTimeout(timeout);
        return this;
    }

    /**
     * The timeout of {@link #accept()}: null for none.
     *
     * @return the timeout set by {@link #setTimeout}, zero for non-blocking, null when none is set
     */
    public Duration timeout() {
        return io.timeout();
    }

    /**
     * The bound address (with the real port when bound to port 0).
     *
     * @return the address the socket listens on
     * @throws IOException when the socket is closed
     */
    public SocketAddress localAddress() throws IOException {
        return channel.getLocalAddress();
    }

    /**
     * The underlying non-blocking channel.
     *
     * @return the channel; it must stay non-blocking
     */
    public ServerSocketChannel channel() {
        return channel;
    }

    /**
     * Whether the socket still listens.
     *
     * @return false once {@link #close()} has been called
     */
    public boolean isOpen() {
        return channel.isOpen();
    }

    /**
     * Stops listening; a thread waiting in {@link #accept()} is woken with an exception at once.
     * A Unix-domain socket's file is left in place, as the JDK does.
     */
    @Override
    public void close() throws IOException {
        try {
            io.closeChannel();
        } finally {
            Thread t = wakeOnClose;
            if (t != null) {
                java.util.concurrent.locks.LockSupport.unpark(t);
            }
        }
    }

    /** For {@link AcceptBackoff}: {@code thread} (null: none) is unparked when this closes. */
    void wakeOnClose(Thread thread) {
        wakeOnClose = thread;
    }

    /** True once {@link #close()} has begun (its waiters are woken before the channel closes). */
    boolean isClosing() {
        return io.isClosed() || !channel.isOpen();
    }

    @Override
    public String toString() {
        return "GreenServerSocket[" + IoBinding.describe(channel) + "]";
    }
}
