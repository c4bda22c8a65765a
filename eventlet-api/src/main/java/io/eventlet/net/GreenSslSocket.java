package io.eventlet.net;

import io.eventlet.GreenThread;
import io.eventlet.pool.Tpool;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;

/**
 * TLS over a {@link GreenSocket}, through an {@link SSLEngine}: eventlet's {@code GreenSSLSocket}
 * (made by {@link io.eventlet.Eventlet#wrapSsl}). Reads and writes look blocking and suspend only the calling
 * green thread, on every hub; the socket's timeout bounds every wait, the handshake's included.
 *
 * {@snippet :
 * SSLContext tls = SSLContext.getDefault();
 * try (GreenSslSocket s = GreenSslSocket.client(Eventlet.connect(address, Duration.ofSeconds(5)), tls, "example.org")) {
 *     s.writeAll("GET / HTTP/1.1\r\nHost: example.org\r\nConnection: close\r\n\r\n".getBytes(US_ASCII));
 *     var in = new BufferedReader(new InputStreamReader(s.inputStream(), UTF_8));
 *     System.out.println(in.readLine());
 * }
 * }
 *
 * <p>The handshake runs on first use, or at once with {@link #handshake()}. Its CPU-heavy steps
 * (the engine's delegated tasks: key exchange, certificate checks) run on the {@link Tpool}, so a
 * handshake does not stall the hub's other green threads. SNI and ALPN pass through
 * {@link SSLParameters}; {@link #client(GreenSocket, SSLContext, String)} sets SNI and checks the
 * server's certificate against the host name. {@link #close()} sends close_notify (unless a
 * writer is blocked) and closes the socket. A peer that closes the TCP connection without
 * close_notify ends the stream like a clean close (eventlet's {@code suppress_ragged_eofs}).
 *
 * <h2>Threading</h2>
 * Thread-safe: one green thread may read while another writes; a second reader (or writer) waits
 * for the first. {@link #close()} from any thread wakes a blocked reader or writer at once. The
 * socket may not be non-blocking (timeout zero).
 */
public final class GreenSslSocket implements ByteChannel {
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);
    private static final Duration CLOSE_NOTIFY_TIMEOUT = Duration.ofSeconds(5);

    private final GreenSocket socket;
    private final SSLEngine engine;
    private final ReentrantLock readLock = new ReentrantLock();
    private final ReentrantLock writeLock = new ReentrantLock();
    /** Ciphertext read from the socket and not yet unwrapped, in write mode. Guarded by readLock. */
    private ByteBuffer netIn;
    /** Plaintext unwrapped and not yet returned, in read mode. Guarded by readLock. */
    private ByteBuffer appIn;
    /** Ciphertext to send. Guarded by writeLock. */
    private ByteBuffer netOut;
    private volatile boolean handshaken;
    private boolean inboundDone;   // guarded by readLock
    private volatile boolean closed;
    private InputStream in;
    private OutputStream out;

    private GreenSslSocket(GreenSocket socket, SSLEngine engine) {
        if (socket.timeout() != null && socket.timeout().isZero()) {
            throw new IllegalArgumentException(socket + " is non-blocking (timeout zero): TLS over it is not supported; set a timeout or none");
        }
        this.socket = socket;
        this.engine = engine;
        SSLSession session = engine.getSession();
        this.netIn = ByteBuffer.allocate(session.getPacketBufferSize());
        this.appIn = ByteBuffer.allocate(session.getApplicationBufferSize()).flip();
        this.netOut = ByteBuffer.allocate(session.getPacketBufferSize());
    }

    /**
     * Wraps {@code socket} (eventlet's {@code wrap_ssl}).
     *
     * @param socket the connected socket to run TLS over; the TLS socket owns it from now on
     * @param context the TLS configuration (keys, trust, protocols)
     * @param clientMode true for the side that connected, false for a server's side
     * @return the TLS socket; the handshake runs on first use
     * @param parameters SNI names and matchers, ALPN protocols, protocols, ciphers, endpoint
     *     identification, client authentication; null for the context's defaults
     */
    public static GreenSslSocket wrap(GreenSocket socket, SSLContext context, boolean clientMode, SSLParameters parameters) {
        Objects.requireNonNull(socket, "socket");
        Objects.requireNonNull(context, "context");
        SSLEngine engine;
        if (clientMode && parameters != null && parameters.getServerNames() != null && !parameters.getServerNames().isEmpty()) {
            engine = context.createSSLEngine(hostOf(parameters.getServerNames()), portOf(socket));
        } else {
            engine = context.createSSLEngine();
        }
        engine.setUseClientMode(clientMode);
        if (parameters != null) {
            engine.setSSLParameters(parameters);
        }
        return new GreenSslSocket(socket, engine);
    }

    /**
     * A client socket for {@code host}: SNI names it, and the handshake fails unless the server's
     * certificate matches it (HTTPS endpoint identification).
     *
     * @param socket the connected socket to run TLS over; the TLS socket owns it from now on
     * @param context the TLS configuration (trust, protocols)
     * @param host the server's host name, as in its certificate
     * @return the TLS socket; the handshake runs on first use
     */
    public static GreenSslSocket client(GreenSocket socket, SSLContext context, String host) {
        Objects.requireNonNull(host, "host");
        SSLParameters p = context.getDefaultSSLParameters();
        if (!isIpLiteral(host)) {
            p.setServerNames(List.of(new SNIHostName(host)));
        }
        p.setEndpointIdentificationAlgorithm("HTTPS");
        SSLEngine engine = context.createSSLEngine(host, portOf(socket));
        engine.setUseClientMode(true);
        engine.setSSLParameters(p);
        return new GreenSslSocket(socket, engine);
    }

    /**
     * A server socket with the context's defaults.
     *
     * @param socket an accepted socket to run TLS over; the TLS socket owns it from now on
     * @param context the TLS configuration (the server's keys, protocols)
     * @return the TLS socket; the handshake runs on first use
     */
    public static GreenSslSocket server(GreenSocket socket, SSLContext context) {
        return wrap(socket, context, false, null);
    }

    private static String hostOf(List<SNIServerName> names) {
        for (SNIServerName n : names) {
            if (n instanceof SNIHostName h) {
                return h.getAsciiName();
            }
        }
        return null;
    }

    private static int portOf(GreenSocket socket) {
        try {
            return socket.remoteAddress() instanceof java.net.InetSocketAddress isa ? isa.getPort() : -1;
        } catch (IOException e) {
            return -1;
        }
    }

    private static boolean isIpLiteral(String host) {
        return host.indexOf(':') >= 0 || host.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'));
    }

    // ---- the handshake ---------------------------------------------------------------------

    /**
     * Runs the handshake now, if it has not run; later calls return at once.
     *
     * @throws SSLHandshakeException when the peers do not agree (the socket stays open; close it)
     * @throws java.net.SocketTimeoutException when the peer stalls longer than the socket's timeout
     */
    public void handshake() throws IOException {
        if (handshaken) {
            return;
        }
        readLock.lock();
        try {
            writeLock.lock();
            try {
                if (!handshaken) {
                    ensureOpen();
                    engine.beginHandshake();
                    driveHandshake();
                    handshaken = true;
                }
            } finally {
                writeLock.unlock();
            }
        } finally {
            readLock.unlock();
        }
    }

    /** Under both locks: steps the engine until it stops handshaking. */
    private void driveHandshake() throws IOException {
        while (true) {
            switch (engine.getHandshakeStatus()) {
                case NEED_WRAP -> wrapAndSend(EMPTY);
                case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                    if (unwrapOnce() < 0) {
                        throw new SSLHandshakeException("the peer closed the connection during the TLS handshake on " + socket);
                    }
                }
                case NEED_TASK -> runDelegatedTasks();
                default -> {
                    return;   // FINISHED or NOT_HANDSHAKING
                }
            }
        }
    }

    private void runDelegatedTasks() throws IOException {
        for (Runnable task; (task = engine.getDelegatedTask()) != null; ) {
            Runnable t = task;
            if (GreenThread.current() != null) {
                try {
                    Tpool.execute(() -> {
                        t.run();
                        return null;
                    });
                } catch (IOException | RuntimeException e) {
                    throw e;
                } catch (Exception e) {
                    throw new SSLException("a TLS handshake task failed: " + e, e);
                }
            } else {
                t.run();
            }
        }
    }

    // ---- reading ---------------------------------------------------------------------------

    /**
     * Unwraps one record into {@link #appIn}, reading from the socket when a whole record is not
     * there yet. Under readLock.
     *
     * @return -1 at the end of the stream (close_notify, or the connection closed), else the
     *     plaintext bytes produced (maybe 0: a handshake or ticket record)
     */
    private int unwrapOnce() throws IOException {
        while (true) {
            if (inboundDone) {
                return -1;
            }
            appIn.compact();
            SSLEngineResult r;
            netIn.flip();
            try {
                r = engine.unwrap(netIn, appIn);
            } finally {
                netIn.compact();
                appIn.flip();
            }
            switch (r.getStatus()) {
                case OK -> {
                    afterUnwrap(r);
                    return r.bytesProduced();
                }
                case BUFFER_UNDERFLOW -> {
                    int need = engine.getSession().getPacketBufferSize();
                    if (netIn.capacity() < need) {
                        netIn = ByteBuffer.allocate(need).put(netIn.flip());
                    }
                    int n = socket.read(netIn);
                    if (n == 0) {
                        throw new IllegalStateException(socket + " was made non-blocking (timeout zero) under its TLS socket");
                    }
                    if (n < 0) {
                        inboundDone = true;
                        try {
                            engine.closeInbound();
                        } catch (SSLException e) {
                            // No close_notify: a ragged end, taken as the end (suppress_ragged_eofs).
                        }
                        return -1;
                    }
                }
                case BUFFER_OVERFLOW -> {
                    int need = engine.getSession().getApplicationBufferSize();
                    ByteBuffer bigger = ByteBuffer.allocate(Math.max(need, appIn.capacity() * 2));
                    appIn = bigger.put(appIn).flip();
                }
                case CLOSED -> {
                    inboundDone = true;
                    afterUnwrap(r);   // answers close_notify with ours
                    return -1;
                }
            }
        }
    }

    /** After an unwrap: tasks to run, or a record to send (TLS 1.3 key update, close_notify reply). */
    private void afterUnwrap(SSLEngineResult r) throws IOException {
        SSLEngineResult.HandshakeStatus hs = r.getHandshakeStatus();
        if (hs == SSLEngineResult.HandshakeStatus.NEED_TASK) {
            runDelegatedTasks();
            hs = engine.getHandshakeStatus();
        }
        if (hs == SSLEngineResult.HandshakeStatus.NEED_WRAP && handshaken) {
            if (writeLock.tryLock()) {
                try {
                    // A renegotiation or key update may need several records, and tasks between.
                    while (true) {
                        SSLEngineResult.HandshakeStatus now = engine.getHandshakeStatus();
                        if (now == SSLEngineResult.HandshakeStatus.NEED_WRAP) {
                            wrapAndSend(EMPTY);
                        } else if (now == SSLEngineResult.HandshakeStatus.NEED_TASK) {
                            runDelegatedTasks();
                        } else {
                            break;
                        }
                    }
                } finally {
                    writeLock.unlock();
                }
            }
            // Else a writer holds the lock; its next wrap sends the pending record first.
        }
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        if (!dst.hasRemaining()) {
            return 0;
        }
        handshake();
        readLock.lock();
        try {
            while (!appIn.hasRemaining()) {
                ensureOpen();
                if (unwrapOnce() < 0 && !appIn.hasRemaining()) {
                    return -1;
                }
            }
            int n = Math.min(dst.remaining(), appIn.remaining());
            dst.put(dst.position(), appIn, appIn.position(), n);
            dst.position(dst.position() + n);
            appIn.position(appIn.position() + n);
            return n;
        } finally {
            readLock.unlock();
        }
    }

    /**
     * {@link #read(ByteBuffer)} into an array; -1 at the end of the stream.
     *
     * @param b where the plaintext goes
     * @param off the index in {@code b} of the first byte to read
     * @param len the most bytes to read
     * @return the number of bytes read, or -1 at the end of the stream
     * @throws IOException when the handshake or the socket fails ({@link
     *     javax.net.ssl.SSLException} for a TLS failure, {@link java.net.SocketTimeoutException}
     *     when the timeout passes first)
     */
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        return read(ByteBuffer.wrap(b, off, len));
    }

    /**
     * Reads until {@code dst} is full.
     *
     * @param dst the buffer to fill
     * @throws EOFException when the stream ends first (the bytes read so far stay in {@code dst})
     */
    public void readFully(ByteBuffer dst) throws IOException {
        while (dst.hasRemaining()) {
            if (read(dst) < 0) {
                throw new EOFException("TLS stream from " + socket + " ended with " + dst.remaining() + " bytes still expected");
            }
        }
    }

    // ---- writing ---------------------------------------------------------------------------

    /** Encrypts and sends all of {@code src}; returns the bytes consumed. */
    @Override
    public int write(ByteBuffer src) throws IOException {
        handshake();
        writeLock.lock();
        try {
            int total = 0;
            do {
                ensureOpen();
                total += wrapAndSend(src);
            } while (src.hasRemaining());
            return total;
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Encrypts and sends all of {@code src} (eventlet's {@code sendall}).
     *
     * @param src the plaintext, from its position to its limit
     * @throws IOException when the handshake or the socket fails ({@link
     *     javax.net.ssl.SSLException} for a TLS failure, {@link java.net.SocketTimeoutException}
     *     when the timeout passes first)
     */
    public void writeAll(ByteBuffer src) throws IOException {
        write(src);
    }

    /**
     * Encrypts and sends the whole array.
     *
     * @param b the plaintext
     * @throws IOException when the handshake or the socket fails ({@link
     *     javax.net.ssl.SSLException} for a TLS failure, {@link java.net.SocketTimeoutException}
     *     when the timeout passes first)
     */
    public void writeAll(byte[] b) throws IOException {
        write(ByteBuffer.wrap(b));
    }

    /** Under writeLock: one wrap, then the record is sent. @return plaintext bytes consumed */
    private int wrapAndSend(ByteBuffer src) throws IOException {
        while (true) {
            netOut.clear();
            SSLEngineResult r = engine.wrap(src, netOut);
            switch (r.getStatus()) {
                case OK, CLOSED -> {
                    netOut.flip();
                    socket.writeAll(netOut);
                    if (r.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_TASK) {
                        runDelegatedTasks();
                    }
                    if (r.getStatus() == SSLEngineResult.Status.CLOSED && r.bytesProduced() == 0 && src.hasRemaining()) {
                        throw new ClosedChannelException();
                    }
                    return r.bytesConsumed();
                }
                case BUFFER_OVERFLOW -> netOut = ByteBuffer.allocate(Math.max(engine.getSession().getPacketBufferSize(), netOut.capacity() * 2));
                case BUFFER_UNDERFLOW -> throw new IllegalStateException("wrap reported BUFFER_UNDERFLOW");
            }
        }
    }

    // ---- streams ---------------------------------------------------------------------------

    /**
     * An {@link InputStream} over the decrypted stream (closing it closes the socket).
     *
     * @return the socket's input stream, the same on every call
     */
    public synchronized InputStream inputStream() {
        if (in == null) {
            in = SocketStreams.input(this::read, this);
        }
        return in;
    }

    /**
     * An {@link OutputStream} that encrypts each write (closing it closes the socket).
     *
     * @return the socket's output stream, the same on every call
     */
    public synchronized OutputStream outputStream() {
        if (out == null) {
            out = SocketStreams.output((b, off, len) -> write(ByteBuffer.wrap(b, off, len)), this);
        }
        return out;
    }

    // ---- state -----------------------------------------------------------------------------

    /**
     * The socket's timeout, applied to each wait of a read, a write or the handshake.
     *
     * @param timeout null for none, else a positive duration (zero, non-blocking, is refused)
     * @return this socket
     */
    public GreenSslSocket setTimeout(Duration timeout) {
        if (timeout != null && timeout.isZero()) {
            throw new IllegalArgumentException("a TLS socket cannot be non-blocking (timeout zero)");
        }
        socket.setTimeout(timeout);
        return this;
    }

    /**
     * The negotiated session (after the handshake).
     *
     * @return the engine's session; before the handshake, one whose cipher suite is {@code
     *     SSL_NULL_WITH_NULL_NULL}
     */
    public SSLSession session() {
        return engine.getSession();
    }

    /**
     * The ALPN protocol agreed in the handshake; null when none was, or before it.
     *
     * @return the protocol, such as {@code "h2"}, or null
     */
    public String applicationProtocol() {
        String p = engine.getApplicationProtocol();
        return p == null || p.isEmpty() ? null : p;
    }

    /**
     * On a server: the SNI host name the client asked for, or null.
     *
     * @return the host name from the client's SNI extension, or null when it sent none (or on a
     *     client)
     */
    public String requestedServerName() {
        if (engine.getSession() instanceof ExtendedSSLSession s) {
            for (SNIServerName n : s.getRequestedServerNames()) {
                if (n instanceof SNIHostName h) {
                    return h.getAsciiName();
                }
            }
        }
        return null;
    }

    /**
     * The engine, for settings this class does not wrap.
     *
     * @return the engine that does the TLS work
     */
    public SSLEngine engine() {
        return engine;
    }

    /**
     * The socket underneath.
     *
     * @return the socket that carries the ciphertext
     */
    public GreenSocket socket() {
        return socket;
    }

    /**
     * The peer's address.
     *
     * @return the address of the socket underneath's peer
     * @throws IOException when the socket is closed
     */
    public SocketAddress remoteAddress() throws IOException {
        return socket.remoteAddress();
    }

    /**
     * The local address.
     *
     * @return the address the socket underneath is bound to
     * @throws IOException when the socket is closed
     */
    public SocketAddress localAddress() throws IOException {
        return socket.localAddress();
    }

    @Override
    public boolean isOpen() {
        return !closed && socket.isOpen();
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw new ClosedChannelException();
        }
    }

    /**
     * Sends close_notify (when the handshake is done and no writer is blocked), then closes the
     * socket, waking any reader or writer. Idempotent.
     */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (handshaken && writeLock.tryLock()) {
                try {
                    Duration t = socket.timeout();
                    if (t == null || t.compareTo(CLOSE_NOTIFY_TIMEOUT) > 0) {
                        socket.setTimeout(CLOSE_NOTIFY_TIMEOUT);   // a peer that stopped reading cannot hold close()
                    }
                    engine.closeOutbound();
                    wrapAndSend(EMPTY);
                } catch (IOException | RuntimeException e) {
                    // The peer may be gone already: closing goes on.
                } finally {
                    writeLock.unlock();
                }
            }
        } finally {
            socket.close();
        }
    }

    @Override
    public String toString() {
        return "GreenSslSocket[" + socket + ", " + (handshaken ? engine.getSession().getProtocol() : "no handshake yet") + "]";
    }
}
