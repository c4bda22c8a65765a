package io.eventlet.http;

import io.eventlet.Eventlet;
import io.eventlet.GreenThread;
import io.eventlet.Hub;
import io.eventlet.http.internal.Pace;
import io.eventlet.net.GreenServerSocket;
import io.eventlet.net.GreenSocket;
import io.eventlet.net.GreenSslSocket;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * An HTTP/1.1 server for blocking-style handlers, one green thread per connection on one hub:
 * eventlet's {@code wsgi.server}, in Java.
 *
 * {@snippet :
 * HttpServer server = HttpServer.builder((req, resp) -> resp.send("hello\n"))
 *         .idleTimeout(Duration.ofSeconds(30))
 *         .start(new InetSocketAddress(8080));
 * ...
 * server.shutdown(Duration.ofSeconds(10));   // stop accepting, finish in-flight requests
 * }
 *
 * <p>HTTP/1.0 and 1.1; keep-alive with an idle timeout (advertised as {@code Keep-Alive:
 * timeout=N}); pipelined requests answered in order; chunked bodies both ways (chunked responses
 * only to 1.1 clients); {@code Expect: 100-continue} (417 for other expectations); {@code HEAD}.
 * Limits: a request line over 8 KiB gets 414, a header line over 8 KiB, a head over 64 KiB or
 * more than 100 fields 431, a body over the body limit 413; a head that is not whole within the
 * {@linkplain Builder#headerTimeout header timeout} (30 s) or a body slower than its
 * {@linkplain Builder#bodyTimeout progress rule} gets 408, and a client that takes its response
 * more slowly than the {@linkplain Builder#sendTimeout send pace} is closed. Every malformed request (RFC 9112's
 * grammar, strictly: control bytes, a bad or doubled Content-Length, Content-Length with
 * Transfer-Encoding, a final coding other than chunked, a missing, doubled or invalid Host) gets
 * 400; every rejection closes the connection. Absolute-form targets are accepted
 * ({@link HttpRequest#path()} is their path). An access log in Apache's combined format goes to
 * the SLF4J logger {@code io.eventlet.http.access}.
 *
 * <h2>Threading</h2>
 * {@link Builder#start} runs the server on a new hub of its own; {@link #shutdown} and
 * {@link #close()} may be called from any thread.
 */
public final class HttpServer implements AutoCloseable {
    private final Builder config;
    private final GreenServerSocket listener;
    private final Hub hub;
    private final GreenThread<Void> acceptor;
    /** Live connections; touched on the hub's thread and read by shutdown through the hub. */
    private final Set<HttpConnection> connections = ConcurrentHashMap.newKeySet();
    /** Keep-alive connections waiting for their next request, longest-waiting first; only on the hub's thread. */
    private final Set<HttpConnection> idle = new java.util.LinkedHashSet<>();
    private volatile boolean draining;
    private final Pace bodyPace;
    private final Pace sendPace;

    private HttpServer(Builder config, GreenServerSocket listener, Hub hub) {
        this.config = config;
        this.bodyPace = new Pace(config.bodyTimeout, config.minBodyRate);
        this.sendPace = new Pace(config.sendTimeout, config.minSendRate);
        this.listener = listener;
        this.hub = hub;
        this.acceptor = hub.spawn(() -> {
            try {
                // One slot more than the limit: a connection accepted into it is a client waiting,
                // and makes the longest-idle keep-alive connection close for it (see full()).
                // (Saturated: Integer.MAX_VALUE means no limit, and no spare slot is needed.)
                Eventlet.serve(listener, this::serveConnection, config.maxConnections == Integer.MAX_VALUE ? Integer.MAX_VALUE
                        : config.maxConnections + 1);
            } catch (IOException e) {
                if (!draining) {
                    throw e;
                }
            }
            return null;
        });
    }

    /**
     * A server for {@code handler}; set options, then {@link Builder#start}.
     *
     * @param handler serves every request, in its connection's green thread
     * @return a builder with the defaults
     */
    public static Builder builder(HttpHandler handler) {
        return new Builder(handler);
    }

    /** The options of a server. */
    public static final class Builder {
        private final HttpHandler handler;
        private Duration idleTimeout = Duration.ofSeconds(60);
        private Duration requestTimeout = Duration.ofSeconds(60);
        private Duration headerTimeout = Duration.ofSeconds(30);
        private Duration bodyTimeout = Duration.ofSeconds(20);
        private long minBodyRate = 500;
        private Duration sendTimeout = Duration.ofSeconds(60);
        private long minSendRate = 500;
        private long maxBodySize = 10L * 1024 * 1024;
        private int maxConnections = 10_000;
        private SSLContext tls;
        private SSLParameters tlsParameters;
        private String hubName;

        private Builder(HttpHandler handler) {
            this.handler = Objects.requireNonNull(handler, "handler");
        }

        /**
         * How long a keep-alive connection may wait for its next request (default 60 s).
         *
         * @param d the idle timeout
         * @return this builder
         */
        public Builder idleTimeout(Duration d) {
            this.idleTimeout = positive(d, "idleTimeout");
            return this;
        }

        /**
         * Bounds each read and each write while a request is in progress (default 60 s): a client
         * that stops reading its response is cut after this long.
         *
         * @param d the per-read and per-write timeout
         * @return this builder
         */
        public Builder requestTimeout(Duration d) {
            this.requestTimeout = positive(d, "requestTimeout");
            return this;
        }

        /**
         * A request head must arrive whole within this (default 30 s; 408 and close): from the
         * accept for a connection's first request, from its first byte for a later one. This is
         * what cuts a slowloris client that sends a header byte now and then (nginx's
         * {@code client_header_timeout}, Go's {@code ReadHeaderTimeout}).
         *
         * @param d the deadline of a request head
         * @return this builder
         */
        public Builder headerTimeout(Duration d) {
            this.headerTimeout = positive(d, "headerTimeout");
            return this;
        }

        /**
         * The body's progress rule, from the handler's first read of it: the whole body must arrive
         * within {@code timeout} plus one second for every {@code minBytesPerSecond} bytes received
         * (Apache mod_reqtimeout's {@code body=20,MinRate=500}, the default). 408 and close
         * otherwise. {@code minBytesPerSecond} 0 makes {@code timeout} a whole-body deadline.
         *
         * @param timeout the allowance before the rate counts (default 20 s)
         * @param minBytesPerSecond the slowest rate that keeps a body going (default 500), or 0
         * @return this builder
         */
        public Builder bodyTimeout(Duration timeout, long minBytesPerSecond) {
            this.bodyTimeout = positive(timeout, "bodyTimeout");
            if (minBytesPerSecond < 0) {
                throw new IllegalArgumentException("minBytesPerSecond must be at least 0, got " + minBytesPerSecond);
            }
            this.minBodyRate = minBytesPerSecond;
            return this;
        }

        /**
         * The response's progress rule: the time its writes spend waiting for the client to take
         * bytes may add up to {@code timeout} plus one second for every {@code minBytesPerSecond}
         * bytes sent (default 60 s and 500 B/s), or the connection is closed. The handler's own
         * pauses do not count (a stream of server-sent events may last for hours). The per-write
         * {@link #requestTimeout} alone would let a client that reads a little now and then hold
         * its connection for as long as the response lasts. {@code minBytesPerSecond} 0 makes
         * {@code timeout} a bound on all the waiting.
         *
         * @param timeout the waiting allowed before the rate counts
         * @param minBytesPerSecond the slowest rate a client may take the response at, or 0
         * @return this builder
         */
        public Builder sendTimeout(Duration timeout, long minBytesPerSecond) {
            this.sendTimeout = positive(timeout, "sendTimeout");
            if (minBytesPerSecond < 0) {
                throw new IllegalArgumentException("minBytesPerSecond must be at least 0, got " + minBytesPerSecond);
            }
            this.minSendRate = minBytesPerSecond;
            return this;
        }

        /**
         * The largest request body accepted (413 beyond; default 10 MiB).
         *
         * @param bytes the limit
         * @return this builder
         */
        public Builder maxBodySize(long bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("maxBodySize must be at least 0, got " + bytes);
            }
            this.maxBodySize = bytes;
            return this;
        }

        /**
         * Connections served at once (default 10,000). One more is accepted when all are taken:
         * the longest-idle keep-alive connection is closed to make room for it (and the others
         * close after their response while it is there); when none is idle it is served as the
         * one spare. The next waits in the listen backlog.
         *
         * @param n the limit, at least 1
         * @return this builder
         */
        public Builder maxConnections(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("maxConnections must be at least 1, got " + n);
            }
            this.maxConnections = n;
            return this;
        }

        /**
         * Serves HTTPS with {@code context} (and optional parameters: ALPN, client auth, ...).
         *
         * @param context the server's keys and protocols
         * @param parameters the TLS parameters, or null for the context's defaults
         * @return this builder
         */
        public Builder tls(SSLContext context, SSLParameters parameters) {
            this.tls = Objects.requireNonNull(context, "context");
            this.tlsParameters = parameters;
            return this;
        }

        /**
         * The hub kind to run on ({@code epoll}, {@code poll}, {@code selector}); default: the
         * configured one.
         *
         * @param name the hub's name, as in {@code -Deventlet.hub=NAME}
         * @return this builder
         */
        public Builder hub(String name) {
            this.hubName = name;
            return this;
        }

        /**
         * Listens on {@code address} and starts serving on a new hub.
         *
         * @param address where to listen; port 0 for a free one
         * @return the running server; {@link HttpServer#shutdown} or close it to stop
         * @throws IOException when the address cannot be bound
         */
        public HttpServer start(SocketAddress address) throws IOException {
            HttpConnection.preload();
            GreenServerSocket listener = Eventlet.listen(address);
            Hub hub;
            try {
                hub = hubName == null ? Hub.start() : Hub.start(hubName);
            } catch (RuntimeException e) {
                listener.close();
                throw e;
            }
            return new HttpServer(this, listener, hub);
        }

        private static Duration positive(Duration d, String what) {
            Objects.requireNonNull(d, what);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(what + " must be positive, got " + d);
            }
            return d;
        }
    }

    private void serveConnection(GreenSocket socket) throws IOException {
        long acceptedAt = System.nanoTime();
        if (draining) {
            return;   // accepted during shutdown: closed at once
        }
        Io io;
        if (config.tls != null) {
            GreenSslSocket tls = GreenSslSocket.wrap(socket, config.tls, false, config.tlsParameters);
            tls.setTimeout(config.requestTimeout);
            io = new Io(tls.inputStream(), tls.outputStream(), tls::setTimeout, () -> { }, tls::close, null);
        } else {
            io = new Io(socket.inputStream(), socket.outputStream(), socket::setTimeout, socket::shutdownOutput, socket::close,
                    socket::awaitReadable);
        }
        SocketAddress remote;
        try {
            remote = socket.remoteAddress();
        } catch (IOException e) {
            remote = null;
        }
        HttpConnection c = new HttpConnection(this, io, remote, acceptedAt);
        connections.add(c);
        if (full()) {
            closeOldestIdle();
        }
        try {
            c.run();
        } finally {
            connections.remove(c);
            io.close.run();
        }
    }

    /**
     * True when more connections are open than the limit: the spare slot the acceptor has beyond
     * {@code maxConnections} is taken, so a client is waiting. Keep-alive connections then close
     * after their response instead of idling, and the longest-idle one closes at once. With
     * exactly {@code maxConnections} clients keeping their connections, keep-alive goes on.
     */
    boolean full() {
        return connections.size() > config.maxConnections;
    }

    /** A keep-alive connection starts (or stops) waiting for its next request; on the hub's thread. */
    void idling(HttpConnection c, boolean now) {
        if (now) {
            idle.add(c);
        } else {
            idle.remove(c);
        }
    }

    /**
     * A full server closes its longest-idle keep-alive connection to make room, as nginx reuses
     * idle keep-alive connections when it runs out: otherwise 10,000 clients that each made one
     * request and went quiet would hold every slot for the idle timeout.
     */
    private void closeOldestIdle() {
        var it = idle.iterator();
        if (it.hasNext()) {
            HttpConnection oldest = it.next();
            it.remove();
            oldest.forceClose();
        }
    }

    /**
     * The streams and controls of one connection, plain or TLS; {@code awaitReadable} (null for
     * TLS) lets the connection idle without a read buffer.
     */
    record Io(InputStream in, OutputStream out, java.util.function.Consumer<Duration> timeout, IoAction shutdownOutput, IoAction close,
              io.eventlet.http.internal.HttpInput.Await awaitReadable) {
    }

    @FunctionalInterface
    interface IoAction {
        void run() throws IOException;
    }

    HttpHandler handler() {
        return config.handler;
    }

    Duration idleTimeout() {
        return config.idleTimeout;
    }

    Duration requestTimeout() {
        return config.requestTimeout;
    }

    Duration headerTimeout() {
        return config.headerTimeout;
    }

    Pace sendPace() {
        return sendPace;
    }

    Pace bodyPace() {
        return bodyPace;
    }

    long maxBodySize() {
        return config.maxBodySize;
    }

    boolean draining() {
        return draining;
    }

    /**
     * The address it listens on (with the port chosen when it was 0).
     *
     * @return the bound address
     * @throws IOException when the server has stopped listening
     */
    public InetSocketAddress address() throws IOException {
        return (InetSocketAddress) listener.localAddress();
    }

    /**
     * The hub the server runs on.
     *
     * @return the server's own hub
     */
    public Hub hub() {
        return hub;
    }

    /** How many live connections hold a read or write buffer now; call it on the server's hub (for tests). */
    int connectionsHoldingBuffers() {
        int n = 0;
        for (HttpConnection c : connections) {
            if (c.holdsBuffers()) {
                n++;
            }
        }
        return n;
    }

    /**
     * Connections open now.
     *
     * @return the number of open connections
     */
    public int connections() {
        return connections.size();
    }

    /**
     * Graceful shutdown: stops accepting, closes idle keep-alive connections, lets requests in
     * progress finish (their connections close after the response), and after {@code deadline}
     * closes whatever is left. Returns when the server has stopped.
     *
     * @param deadline how long requests in progress may take to finish; zero closes everything at
     *     once
     * @return true when everything finished before the deadline
     * @throws IOException when closing the listener fails
     */
    public boolean shutdown(Duration deadline) throws IOException {
        Objects.requireNonNull(deadline, "deadline");
        draining = true;
        listener.close();
        long end = System.nanoTime() + deadline.toNanos();
        for (HttpConnection c : connections) {
            c.closeIfIdle();
        }
        boolean clean = true;
        while (!connections.isEmpty()) {
            if (System.nanoTime() - end >= 0) {
                clean = false;
                for (HttpConnection c : connections) {
                    c.forceClose();
                }
                break;
            }
            Eventlet.sleep(Duration.ofMillis(5));
        }
        acceptor.kill();
        hub.close();
        return clean;
    }

    /** Shuts down with no grace: every connection is closed at once. */
    @Override
    public void close() throws IOException {
        shutdown(Duration.ZERO);
    }

    static long seconds(Duration d) {
        return Math.max(1, TimeUnit.NANOSECONDS.toSeconds(d.toNanos()));
    }
}
