package io.eventlet.net;

import io.eventlet.internal.IoBinding;
import io.eventlet.internal.Wait;
import io.eventlet.pool.Tpool;
import io.eventlet.spi.Poller;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Objects;

/**
 * A stream socket (TCP over IPv4 or IPv6, or a Unix-domain socket) whose blocking calls suspend
 * only the calling green thread: eventlet's {@code GreenSocket}. Each call tries the operation on
 * the non-blocking channel first and waits on the hub only when it would block.
 *
 * {@snippet :
 * try (GreenSocket s = Eventlet.connect(new InetSocketAddress("localhost", 8080), Duration.ofSeconds(5))) {
 *     s.setTimeout(Duration.ofSeconds(10));               // each read/write: SocketTimeoutException after 10 s
 *     s.writeAll("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
 *     var reader = new BufferedReader(new InputStreamReader(s.inputStream(), StandardCharsets.UTF_8));
 *     System.out.println(reader.readLine());
 * }
 * }
 *
 * <h2>Timeouts</h2>
 * {@link #setTimeout}: {@code null} (the default) blocks without a bound; a positive duration
 * bounds every read, write and connect with {@link SocketTimeoutException}; {@link Duration#ZERO}
 * makes the socket non-blocking (reads and writes return 0 at once when they would block) — the
 * meanings of eventlet's {@code settimeout(None)}, {@code settimeout(s)}, {@code settimeout(0)}.
 *
 * <h2>Threading</h2>
 * Thread-safe. Used by green threads of one hub (the hub of the first green thread that waits on
 * it) and by plain threads. One green thread may wait to read and one to write at a time; a second
 * gets {@link IllegalStateException} naming the socket. {@link #close()} from any thread wakes
 * every waiter with {@link java.nio.channels.AsynchronousCloseException} at once.
 */
public final class GreenSocket implements ByteChannel {
    private final SocketChannel channel;
    private final IoBinding io;
    private InputStream in;
    private OutputStream out;

    GreenSocket(SocketChannel channel) throws IOException {
        this.channel = channel;
        channel.configureBlocking(false);
        this.io = new IoBinding(channel, this);
    }

    /**
     * Connects to {@code address} (eventlet's {@code connect}). An unresolved host name is
     * resolved on the {@link Tpool}, never on the hub.
     *
     * @param address the server's address: an {@link InetSocketAddress} (resolved or not) or a
     *     {@link java.net.UnixDomainSocketAddress}
     * @return the connected socket, in blocking mode with no timeout
     * @param timeout bounds the resolution and the connect together; null for no bound
     * @throws SocketTimeoutException when the timeout passes first
     */
    public static GreenSocket connect(SocketAddress address, Duration timeout) throws IOException {
        Objects.requireNonNull(address, "address");
        long timeoutNanos = Wait.timeoutNanos(timeout);
        long deadline = Wait.deadline(timeoutNanos);
        SocketAddress target = address;
        if (address instanceof InetSocketAddress isa && isa.isUnresolved()) {
            target = resolve(isa);
        }
        SocketChannel ch = target instanceof UnixDomainSocketAddress
                ? SocketChannel.open(StandardProtocolFamily.UNIX)
                : SocketChannel.open();
        GreenSocket s;
        try {
            s = new GreenSocket(ch);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
        boolean ok = false;
        try {
            if (!ch.connect(target)) {
                do {
                    s.io.awaitOp(Poller.WRITE, deadline, timeoutNanos, "connect to " + target);
                } while (!ch.finishConnect());
            }
            ok = true;
            return s;
        } catch (java.net.ConnectException e) {
            throw withAddress(e, target);
        } finally {
            if (!ok) {
                s.close();
            }
        }
    }

    private static InetSocketAddress resolve(InetSocketAddress isa) throws IOException {
        try {
            return Tpool.execute(() -> new InetSocketAddress(java.net.InetAddress.getByName(isa.getHostString()), isa.getPort()));
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("cannot resolve " + isa.getHostString() + ": " + e, e);
        }
    }

    private static java.net.ConnectException withAddress(java.net.ConnectException e, SocketAddress target) {
        java.net.ConnectException c = new java.net.ConnectException(e.getMessage() + ": " + target);
        c.initCause(e);
        return c;
    }

    // ---- reading ----------------------------------------------------------------------------

    /**
     * Reads at least one byte unless the buffer is full, the peer has closed (-1), or the socket
     * is non-blocking (0 when nothing is there).
     */
    @Override
    public int read(ByteBuffer dst) throws IOException {
        long deadline = io.deadline();
        if (dst.hasRemaining() && io.readDrained()) {
            // The last read emptied the receive queue and nothing has arrived since: trying now
            // would only fail with EAGAIN, so wait first.
            io.awaitOp(Poller.READ, deadline, "read");
        }
        while (true) {
            int want = dst.remaining();
            int n = channel.read(dst);
            if (n > 0) {
                if (n < want) {
                    io.noteReadDrained();
                }
                return n;
            }
            if (n < 0 || want == 0 || io.nonBlocking()) {
                return n;
            }
            io.awaitOp(Poller.READ, deadline, "read");
        }
    }

    /**
     * Waits, within the socket's timeout, until a read probably would not block, without reading
     * anything: so a reader can leave its buffer free while a connection is idle and take one
     * only once bytes are there (as Netty reads only on readiness). It waits when the last read
     * drained the receive queue and the hub has reported nothing since, or when no read has had
     * to wait yet (the hub then reports at once if bytes are there); otherwise (bytes may be
     * there, a plain thread, a non-blocking socket) it returns at once. A return is a hint, not a
     * promise: the next read still waits if nothing came after all.
     *
     * @throws java.net.SocketTimeoutException when the timeout passes first
     * @throws java.nio.channels.AsynchronousCloseException when the socket is closed while waiting
     */
    public void awaitReadable() throws IOException {
        if (io.readMayBlock()) {
            io.awaitOp(Poller.READ, io.deadline(), "read");
        }
    }

    /**
     * {@link #read(ByteBuffer)} into an array; -1 at the end of the stream.
     *
     * @param b where the bytes go
     * @param off the index in {@code b} of the first byte to read
     * @param len the most bytes to read
     * @return the number of bytes read, -1 at the end of the stream, or 0 when {@code len} is 0 or
     *     a non-blocking socket has nothing
     * @throws IOException when the read fails: a {@link SocketTimeoutException} when the timeout
     *     passes first, an {@link java.nio.channels.AsynchronousCloseException} when the socket is
     *     closed while waiting
     */
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        return read(ByteBuffer.wrap(b, off, len));
    }

    /**
     * Reads until {@code dst} is full.
     *
     * @param dst the buffer to fill
     * @throws EOFException when the peer closes first (the bytes read so far stay in {@code dst})
     */
    public void readFully(ByteBuffer dst) throws IOException {
        while (dst.hasRemaining()) {
            int n = read(dst);
            if (n < 0) {
                throw new EOFException("connection closed by " + remoteAddressOrNull() + " with " + dst.remaining() + " bytes still expected");
            }
            if (n == 0 && io.nonBlocking()) {
                throw new IllegalStateException(this + " is non-blocking (timeout zero): readFully would spin");
            }
        }
    }

    /**
     * {@link #readFully(ByteBuffer)} into the whole array.
     *
     * @param b the array to fill
     * @throws IOException when the read fails: an {@link EOFException} when the peer closes first,
     *     a {@link SocketTimeoutException} when the timeout passes
     */
    public void readFully(byte[] b) throws IOException {
        readFully(ByteBuffer.wrap(b));
    }

    // ---- writing ----------------------------------------------------------------------------

    /** Writes at least one byte unless the buffer is empty or the socket is non-blocking. */
    @Override
    public int write(ByteBuffer src) throws IOException {
        long deadline = io.deadline();
        while (true) {
            int n = channel.write(src);
            if (n != 0 || !src.hasRemaining() || io.nonBlocking()) {
                return n;
            }
            io.awaitOp(Poller.WRITE, deadline, "write");
        }
    }

    /**
     * Writes the whole buffer (eventlet's {@code sendall}); the timeout bounds each wait.
     *
     * @param src the bytes to write, from its position to its limit; its position ends at its limit
     * @throws IOException when the write fails: a {@link SocketTimeoutException} when the timeout
     *     passes first, an {@link java.nio.channels.AsynchronousCloseException} when the socket is
     *     closed while waiting, or the peer has reset the connection
     */
    public void writeAll(ByteBuffer src) throws IOException {
        while (src.hasRemaining()) {
            if (write(src) == 0 && io.nonBlocking()) {
                throw new IllegalStateException(this + " is non-blocking (timeout zero): writeAll would spin");
            }
        }
    }

    /**
     * Writes the whole array.
     *
     * @param b the bytes to write
     * @throws IOException when the write fails: a {@link SocketTimeoutException} when the timeout
     *     passes first, an {@link java.nio.channels.AsynchronousCloseException} when the socket is
     *     closed while waiting, or the peer has reset the connection
     */
    public void writeAll(byte[] b) throws IOException {
        writeAll(ByteBuffer.wrap(b));
    }

    /**
     * Writes {@code len} bytes of {@code b} from {@code off}.
     *
     * @param b holds the bytes to write
     * @param off the index in {@code b} of the first byte
     * @param len how many bytes to write
     * @throws IOException when the write fails: a {@link SocketTimeoutException} when the timeout
     *     passes first, an {@link java.nio.channels.AsynchronousCloseException} when the socket is
     *     closed while waiting, or the peer has reset the connection
     */
    public void writeAll(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        writeAll(ByteBuffer.wrap(b, off, len));
    }

    // ---- streams ----------------------------------------------------------------------------

    /**
     * An {@link InputStream} over this socket (one per socket; closing it closes the socket).
     *
     * @return the socket's input stream, the same on every call
     */
    public synchronized InputStream inputStream() {
        if (in == null) {
            in = SocketStreams.input((b, off, len) -> {
                requireBlocking("InputStream");
                return read(b, off, len);
            }, this);
        }
        return in;
    }

    /**
     * An {@link OutputStream} over this socket (one per socket; closing it closes the socket).
     *
     * @return the socket's output stream, the same on every call
     */
    public synchronized OutputStream outputStream() {
        if (out == null) {
            out = SocketStreams.output((b, off, len) -> {
                requireBlocking("OutputStream");
                writeAll(b, off, len);
            }, this);
        }
        return out;
    }

    /** Streams block by nature: on a non-blocking socket they would have to spin or lie about EOF. */
    private void requireBlocking(String what) {
        if (io.nonBlocking()) {
            throw new IllegalStateException("the " + what + " of " + this + " needs a blocking socket; its timeout is zero (non-blocking)");
        }
    }

    // ---- settings and state -----------------------------------------------------------------

    /**
     * Sets the timeout of each later read, write and accept: null for none, zero for
     * non-blocking, positive to raise {@link SocketTimeoutException}.
     *
     * @param timeout null, zero or a positive duration
     * @return this socket
     * @throws IllegalArgumentException for a negative duration
     */
    public GreenSocket setTimeout(Duration timeout) {
        io.setTimeout(timeout);
        return this;
    }

    /**
     * The timeout: null for none, zero for non-blocking.
     *
     * @return the timeout set by {@link #setTimeout}, null when none is set
     */
    public Duration timeout() {
        return io.timeout();
    }

    /**
     * Sets a socket option ({@link StandardSocketOptions}).
     *
     * @param <T> the option's value type
     * @param name the option
     * @param value its new value
     * @return this socket
     * @throws IOException when the socket is closed or the option cannot be set
     */
    public <T> GreenSocket setOption(SocketOption<T> name, T value) throws IOException {
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
     * TCP_NODELAY: send small writes at once instead of coalescing them (Nagle off).
     *
     * @param on true to turn Nagle's algorithm off
     * @return this socket
     * @throws IOException when the socket is closed or the option cannot be set
     */
    public GreenSocket setTcpNoDelay(boolean on) throws IOException {
        return setOption(StandardSocketOptions.TCP_NODELAY, on);
    }

    /**
     * SO_KEEPALIVE.
     *
     * @param on true to have the kernel probe an idle connection
     * @return this socket
     * @throws IOException when the socket is closed or the option cannot be set
     */
    public GreenSocket setKeepAlive(boolean on) throws IOException {
        return setOption(StandardSocketOptions.SO_KEEPALIVE, on);
    }

    /**
     * SO_RCVBUF, in bytes (a hint to the kernel).
     *
     * @param bytes the receive buffer's size
     * @return this socket
     * @throws IOException when the socket is closed or the option cannot be set
     */
    public GreenSocket setReceiveBufferSize(int bytes) throws IOException {
        return setOption(StandardSocketOptions.SO_RCVBUF, bytes);
    }

    /**
     * SO_SNDBUF, in bytes (a hint to the kernel).
     *
     * @param bytes the send buffer's size
     * @return this socket
     * @throws IOException when the socket is closed or the option cannot be set
     */
    public GreenSocket setSendBufferSize(int bytes) throws IOException {
        return setOption(StandardSocketOptions.SO_SNDBUF, bytes);
    }

    /**
     * SO_LINGER: null turns it off; zero makes {@link #close()} reset the connection.
     *
     * @param linger how long {@link #close()} may wait for unsent bytes, whole seconds; null for
     *     off
     * @return this socket
     * @throws IOException when the socket is closed or the option cannot be set
     */
    public GreenSocket setLinger(Duration linger) throws IOException {
        return setOption(StandardSocketOptions.SO_LINGER, linger == null ? -1 : (int) Math.min(Integer.MAX_VALUE, linger.toSeconds()));
    }

    /**
     * Half-close: no more reads (later reads return -1).
     *
     * @throws IOException when the socket is closed or not connected
     */
    public void shutdownInput() throws IOException {
        channel.shutdownInput();
    }

    /**
     * Half-close: sends FIN after the bytes already written; the peer reads end of stream.
     *
     * @throws IOException when the socket is closed or not connected
     */
    public void shutdownOutput() throws IOException {
        channel.shutdownOutput();
    }

    /**
     * Closes after a last reply without losing it: half-closes (the peer reads the reply, then
     * the end of the stream), reads and drops what the peer still sends until it closes too,
     * {@code maxDrainBytes} have come or {@code atMost} has passed, then closes. A plain
     * {@link #close()} with unread input makes the kernel send a reset, and a peer still sending
     * may lose the reply it had not read yet ("lingering close", as Apache and eventlet-http do).
     * Failures while draining end it early; the socket is closed in any case.
     *
     * @param atMost how long to drain, at most
     * @param maxDrainBytes how many bytes to drain, at most
     * @throws IOException when closing the socket fails (failures while draining only end it)
     */
    public void closeLingering(Duration atMost, long maxDrainBytes) throws IOException {
        Objects.requireNonNull(atMost, "atMost");
        try {
            shutdownOutput();
            long deadline = Wait.deadline(Wait.nanos(atMost));
            ByteBuffer scratch = ByteBuffer.allocate(4096);
            for (long drained = 0; drained < maxDrainBytes; ) {
                long left = Wait.remaining(deadline);
                if (left <= 0) {
                    break;
                }
                setTimeout(Duration.ofNanos(left));
                int n = read(scratch.clear());
                if (n < 0) {
                    break;
                }
                drained += n;
            }
        } catch (IOException e) {
            // the peer is gone or too slow: nothing left to protect
        } finally {
            close();
        }
    }

    /**
     * The local address.
     *
     * @return the address the socket is bound to
     * @throws IOException when the socket is closed
     */
    public SocketAddress localAddress() throws IOException {
        return channel.getLocalAddress();
    }

    /**
     * The peer's address.
     *
     * @return the address of the peer, or null when not connected
     * @throws IOException when the socket is closed
     */
    public SocketAddress remoteAddress() throws IOException {
        return channel.getRemoteAddress();
    }

    /**
     * The underlying non-blocking channel, for options this class does not wrap.
     *
     * @return the channel; it must stay non-blocking
     */
    public SocketChannel channel() {
        return channel;
    }

    @Override
    public boolean isOpen() {
        return channel.isOpen();
    }

    /** Closes the socket; green or plain threads waiting on it are woken with an exception at once. */
    @Override
    public void close() throws IOException {
        io.closeChannel();
    }

    /** The addresses, once both are known: they never change, and asking the channel takes its lock. */
    private volatile String addresses;

    @Override
    public String toString() {
        String a = addresses;
        if (a == null && channel.isOpen()) {
            try {
                SocketAddress local = channel.getLocalAddress();
                SocketAddress remote = channel.getRemoteAddress();
                a = local + " -> " + remote;
                if (local != null && remote != null) {
                    addresses = a;
                }
            } catch (IOException | RuntimeException e) {
                a = null;
            }
        }
        return "GreenSocket[" + (a == null ? "closed" : a) + (channel.isOpen() ? "" : ", closed") + "]";
    }

    private Object remoteAddressOrNull() {
        try {
            return channel.getRemoteAddress();
        } catch (IOException e) {
            return "the peer";
        }
    }
}
