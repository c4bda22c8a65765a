package io.eventlet.http;

import io.eventlet.Eventlet;
import io.eventlet.GreenThread;
import io.eventlet.Hub;
import io.eventlet.http.internal.BodyInput;
import io.eventlet.http.internal.Http1;
import io.eventlet.http.internal.HttpInput;
import io.eventlet.http.internal.HttpOutput;
import io.eventlet.net.GreenSocket;
import io.eventlet.net.GreenSslSocket;
import io.eventlet.sync.Semaphore;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;

/**
 * An HTTP/1.1 client over green sockets: blocking-style calls that suspend only the calling green
 * thread, with a keep-alive connection pool per host.
 *
 * {@snippet :
 * HttpClient client = HttpClient.builder().connectTimeout(Duration.ofSeconds(5)).build();
 * try (HttpClient.Response r = client.get(URI.create("http://example.org/"))) {
 *     System.out.println(r.status() + " " + r.bodyText().length());
 * }
 * }
 *
 * <p>GET, POST, PUT, DELETE, HEAD (any method through {@link #send}); request bodies as bytes or
 * streamed (chunked when the length is unknown); response bodies streamed, chunked or not;
 * connect and read timeouts and a whole-request deadline; HTTPS (SNI and host name checks);
 * redirects when asked for. What a server controls is bounded: the response head (256 KiB, 200
 * fields), interim 1xx responses (16), the body {@link Response#bodyBytes()} buffers
 * ({@link Builder#maxResponseBodySize}); malformed responses (RFC 9112's grammar, strictly: a
 * negative or conflicting Content-Length, both Content-Length and Transfer-Encoding) are refused
 * with {@link HttpException} 502, a response later than the request timeout with 504. A
 * response must be closed (or read to its end) to give its connection back to the pool; a
 * request that fails on a reused connection before any response byte is retried once on a new
 * one when it can be replayed.
 *
 * <h2>Threading</h2>
 * Thread-safe. Pooled connections are kept per hub (a green socket belongs to one hub) and per
 * host; at most {@code maxConnectionsPerHost} are open per hub and host, and callers beyond wait.
 */
public final class HttpClient implements AutoCloseable {
    private final Builder config;
    /** Pools by (hub or null for plain threads) and scheme://host:port. */
    private final Map<PoolKey, HostPool> pools = new ConcurrentHashMap<>();
    private volatile boolean closed;

    private HttpClient(Builder config) {
        this.config = config;
    }

    /**
     * Starts configuring a client: connect timeout 10 s, read timeout 30 s, request timeout 120 s,
     * bodies buffered up to 32 MiB, 10 connections per host, no redirects.
     *
     * @return a builder with the defaults
     */
    public static Builder builder() {
        return new Builder();
    }

    /** The options of a client. */
    public static final class Builder {
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration readTimeout = Duration.ofSeconds(30);
        private Duration requestTimeout = Duration.ofSeconds(120);
        private long maxResponseBodySize = 32L * 1024 * 1024;
        private int maxConnectionsPerHost = 10;
        private boolean followRedirects;
        private SSLContext tls;

        private Builder() {
        }

        /**
         * Bounds name resolution and the TCP (and TLS) connect together (default 10 s).
         *
         * @param d the timeout
         * @return this builder
         */
        public Builder connectTimeout(Duration d) {
            this.connectTimeout = Objects.requireNonNull(d, "connectTimeout");
            return this;
        }

        /**
         * Bounds each wait for response bytes (and for sending).
         *
         * @param d the timeout (default 30 s)
         * @return this builder
         */
        public Builder readTimeout(Duration d) {
            this.readTimeout = Objects.requireNonNull(d, "readTimeout");
            return this;
        }

        /**
         * The whole exchange, from sending the request to the last byte of the response body,
         * must end within this (default 120 s), or reading fails with {@link HttpException} 504:
         * the read timeout alone bounds each wait, and a server dripping a byte just before
         * each would hold a request for ever. Streaming a large download needs a longer one.
         *
         * @param d the deadline of one whole exchange
         * @return this builder
         */
        public Builder requestTimeout(Duration d) {
            Objects.requireNonNull(d, "requestTimeout");
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("requestTimeout must be positive, got " + d);
            }
            this.requestTimeout = d;
            return this;
        }

        /**
         * The largest body {@link Response#bodyBytes()} and {@link Response#bodyText()} buffer
         * (default 32 MiB); a larger one fails with {@link HttpException} 502, read as it
         * arrives, never allocated from the Content-Length a server claims. {@link Response#body()}
         * streams any size.
         *
         * @param bytes the limit, at least 0
         * @return this builder
         */
        public Builder maxResponseBodySize(long bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("maxResponseBodySize must be at least 0, got " + bytes);
            }
            this.maxResponseBodySize = bytes;
            return this;
        }

        /**
         * The most connections open to one host from one hub (default 10); callers beyond wait for
         * one.
         *
         * @param n the limit, at least 1
         * @return this builder
         */
        public Builder maxConnectionsPerHost(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("maxConnectionsPerHost must be at least 1, got " + n);
            }
            this.maxConnectionsPerHost = n;
            return this;
        }

        /**
         * Follow 301, 302, 303, 307 and 308 (up to 5 hops); off by default.
         *
         * @param on whether to follow redirects
         * @return this builder
         */
        public Builder followRedirects(boolean on) {
            this.followRedirects = on;
            return this;
        }

        /**
         * The TLS context for https URIs (default: the JDK's default context).
         *
         * @param context the context whose trust checks the servers' certificates
         * @return this builder
         */
        public Builder tls(SSLContext context) {
            this.tls = Objects.requireNonNull(context, "context");
            return this;
        }

        /**
         * Makes a client with these options; later changes to the builder do not affect it.
         *
         * @return the client; close it to close its pooled connections
         */
        public HttpClient build() {
            return new HttpClient(this);
        }
    }

    // ---- requests -----------------------------------------------------------------------------

    /** A request to send: method, URI, headers, and a body (none by default). */
    public static final class Request {
        private final String method;
        private final URI uri;
        private final HttpHeaders headers = new HttpHeaders();
        private byte[] body;
        private InputStream stream;
        private long streamLength = -1;

        private Request(String method, URI uri) {
            this.method = Objects.requireNonNull(method, "method");
            this.uri = Objects.requireNonNull(uri, "uri");
            String scheme = uri.getScheme();
            if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https")) || uri.getHost() == null) {
                throw new IllegalArgumentException("not an absolute http(s) URI: " + uri);
            }
        }

        /**
         * A request without headers or body.
         *
         * @param method the method, such as {@code GET} or {@code PATCH}
         * @param uri an absolute http or https URI
         * @return the request
         * @throws IllegalArgumentException when {@code uri} is not an absolute http(s) URI with a
         *     host
         */
        public static Request of(String method, URI uri) {
            return new Request(method, uri);
        }

        /**
         * Adds a header. The client adds Host when the request has none, and the body's framing
         * (Content-Length or Transfer-Encoding) itself.
         *
         * @param name the header's name
         * @param value its value
         * @return this request
         * @throws IllegalArgumentException when the name or the value is not valid in a header
         */
        public Request header(String name, String value) {
            headers.add(name, value);
            return this;
        }

        /**
         * A body of known bytes (can be replayed on a retry or a 307/308 redirect).
         *
         * @param bytes the body, sent with its Content-Length
         * @return this request
         */
        public Request body(byte[] bytes) {
            this.body = Objects.requireNonNull(bytes, "bytes");
            this.stream = null;
            return this;
        }

        /**
         * A streamed body; {@code length} -1 sends it chunked.
         *
         * @param in the body's stream, read once as the request is sent
         * @param length the body's length in bytes, or -1 when unknown
         * @return this request
         */
        public Request body(InputStream in, long length) {
            this.stream = Objects.requireNonNull(in, "in");
            this.streamLength = length;
            this.body = null;
            return this;
        }

        boolean replayable() {
            return stream == null;
        }
    }

    /**
     * Sends a GET request to {@code uri}.
     *
     * @param uri an absolute http or https URI
     * @return the response; close it, or read its body to the end
     * @throws IOException when the exchange fails: a {@link java.net.SocketTimeoutException} when
     *     the connect or read timeout passes, an {@link HttpException} 502 for a malformed response
     *     or 504 past the request timeout, an {@link java.net.ConnectException} when the server
     *     refuses
     */
    public Response get(URI uri) throws IOException {
        return send(Request.of("GET", uri));
    }

    /**
     * Sends a HEAD request to {@code uri}.
     *
     * @param uri an absolute http or https URI
     * @return the response; close it, or read its body to the end
     * @throws IOException when the exchange fails: a {@link java.net.SocketTimeoutException} when
     *     the connect or read timeout passes, an {@link HttpException} 502 for a malformed response
     *     or 504 past the request timeout, an {@link java.net.ConnectException} when the server
     *     refuses
     */
    public Response head(URI uri) throws IOException {
        return send(Request.of("HEAD", uri));
    }

    /**
     * Sends a DELETE request to {@code uri}.
     *
     * @param uri an absolute http or https URI
     * @return the response; close it, or read its body to the end
     * @throws IOException when the exchange fails: a {@link java.net.SocketTimeoutException} when
     *     the connect or read timeout passes, an {@link HttpException} 502 for a malformed response
     *     or 504 past the request timeout, an {@link java.net.ConnectException} when the server
     *     refuses
     */
    public Response delete(URI uri) throws IOException {
        return send(Request.of("DELETE", uri));
    }

    /**
     * Sends a POST request with a body to {@code uri}.
     *
     * @param uri an absolute http or https URI
     * @param body the body
     * @param contentType its Content-Type
     * @return the response; close it, or read its body to the end
     * @throws IOException when the exchange fails: a {@link java.net.SocketTimeoutException} when
     *     the connect or read timeout passes, an {@link HttpException} 502 for a malformed response
     *     or 504 past the request timeout, an {@link java.net.ConnectException} when the server
     *     refuses
     */
    public Response post(URI uri, byte[] body, String contentType) throws IOException {
        return send(Request.of("POST", uri).header("Content-Type", contentType).body(body));
    }

    /**
     * Sends a PUT request with a body to {@code uri}.
     *
     * @param uri an absolute http or https URI
     * @param body the body
     * @param contentType its Content-Type
     * @return the response; close it, or read its body to the end
     * @throws IOException when the exchange fails: a {@link java.net.SocketTimeoutException} when
     *     the connect or read timeout passes, an {@link HttpException} 502 for a malformed response
     *     or 504 past the request timeout, an {@link java.net.ConnectException} when the server
     *     refuses
     */
    public Response put(URI uri, byte[] body, String contentType) throws IOException {
        return send(Request.of("PUT", uri).header("Content-Type", contentType).body(body));
    }

    /**
     * Sends {@code request}, following redirects when configured.
     *
     * @param request the request
     * @return the response (the last one, after redirects); close it, or read its body to the end
     * @throws IOException when the exchange fails: a {@link java.net.SocketTimeoutException} when
     *     the connect or read timeout passes, an {@link HttpException} 502 for a malformed response
     *     or 504 past the request timeout, an {@link java.net.ConnectException} when the server
     *     refuses
     */
    public Response send(Request request) throws IOException {
        Request current = request;
        for (int hop = 0; ; hop++) {
            Response r = sendOnce(current);
            if (!config.followRedirects || hop >= 5 || !isRedirect(r.status) || r.header("Location") == null) {
                return r;
            }
            URI next;
            try {
                next = current.uri.resolve(r.header("Location"));
            } catch (IllegalArgumentException e) {
                return r;   // not a URI we can follow: the caller gets the 3xx
            }
            String scheme = next.getScheme();
            if (next.getHost() == null || scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))) {
                return r;   // only http(s) targets with a host are followed
            }
            r.close();
            boolean keepMethod = (r.status == 307 || r.status == 308) && current.replayable();
            Request follow = Request.of(keepMethod || current.method.equals("HEAD") ? current.method : "GET", next);
            boolean sameOrigin = origin(next).equals(origin(current.uri));
            current.headers.forEach((n, v) -> {
                if (!n.equalsIgnoreCase("Host") && !n.equalsIgnoreCase("Content-Length") && (keepMethod || !n.equalsIgnoreCase("Content-Type"))
                        && (sameOrigin || !isCredential(n))) {
                    follow.headers.add(n, v);
                }
            });
            if (keepMethod && current.body != null) {
                follow.body(current.body);
            }
            current = follow;
        }
    }

    /**
     * RFC 9110 §9.2.2: only these may be sent again without the caller's say-so. A POST that
     * reached a server which then closed without answering may have been acted on.
     */
    private static boolean idempotent(String method) {
        return switch (method) {
            case "GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE" -> true;
            default -> false;
        };
    }

    /** A redirect to another origin must not carry the caller's credentials there (a hostile server could ask for them). */
    private static boolean isCredential(String name) {
        return name.equalsIgnoreCase("Authorization") || name.equalsIgnoreCase("Cookie") || name.equalsIgnoreCase("Proxy-Authorization");
    }

    private static String origin(URI uri) {
        String scheme = uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        int port = uri.getPort() >= 0 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
        return scheme + "://" + uri.getHost().toLowerCase(java.util.Locale.ROOT) + ":" + port;
    }

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    /**
     * Closes every idle pooled connection; a connection in use is closed when its response is.
     * Later requests throw {@link IOException}, as the JDK's client does once shut down.
     * Idempotent; from any thread.
     */
    @Override
    public void close() {
        closed = true;
        for (HostPool p : pools.values()) {
            p.shutdown();
        }
        pools.clear();
    }

    /** Buffers held by this client's idle pooled connections (for tests). */
    int buffersHeldForTest() {
        int n = 0;
        for (HostPool p : pools.values()) {
            n += p.buffersHeld();
        }
        return n;
    }

    private Response sendOnce(Request req) throws IOException {
        if (closed) {
            throw new IOException("the HTTP client is closed");
        }
        HostPool pool = poolFor(req.uri);
        Connection c = pool.acquire();
        boolean reused = c.reused;
        try {
            return exchange(pool, c, req);
        } catch (IOException e) {
            pool.discard(c);
            // Retried only when a kept-alive connection turned out dead: nothing of a response came,
            // and the failure is not a timeout or a refusal of ours (retrying those would double
            // the request timeout, and send a POST twice to a server that is merely slow).
            boolean nothingCame = c.in.received() == c.receivedBefore;
            if (reused && nothingCame && req.replayable() && idempotent(req.method) && !(e instanceof HttpException)
                    && !(e instanceof java.io.InterruptedIOException)) {
                Connection fresh = pool.acquireFresh();
                try {
                    return exchange(pool, fresh, req);
                } catch (IOException | RuntimeException again) {
                    pool.discard(fresh);
                    again.addSuppressed(e);
                    throw again;
                }
            }
            throw e;
        } catch (RuntimeException e) {
            pool.discard(c);
            throw e;
        }
    }

    private Response exchange(HostPool pool, Connection c, Request req) throws IOException {
        c.receivedBefore = c.in.received();
        c.in.deadline(System.nanoTime() + config.requestTimeout.toNanos(), 504, "the response within the request timeout");
        String path = req.uri.getRawPath();
        if (path == null || path.isEmpty()) {
            path = "/";
        }
        if (req.uri.getRawQuery() != null) {
            path += "?" + req.uri.getRawQuery();
        }
        StringBuilder head = new StringBuilder(256);
        head.append(req.method).append(' ').append(path).append(" HTTP/1.1\r\n");
        if (!req.headers.contains("Host")) {
            head.append("Host: ").append(hostHeader(req.uri)).append("\r\n");
        }
        req.headers.forEach((n, v) -> head.append(n).append(": ").append(v).append("\r\n"));
        boolean chunked = false;
        if (req.body != null) {
            head.append("Content-Length: ").append(req.body.length).append("\r\n");
        } else if (req.stream != null) {
            if (req.streamLength >= 0) {
                head.append("Content-Length: ").append(req.streamLength).append("\r\n");
            } else {
                head.append("Transfer-Encoding: chunked\r\n");
                chunked = true;
            }
        }
        head.append("\r\n");
        HttpOutput out = c.out;
        out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        if (req.body != null) {
            out.write(req.body);
        } else if (req.stream != null) {
            byte[] buf = new byte[8192];
            for (int n; (n = req.stream.read(buf)) > 0; ) {
                if (chunked) {
                    out.writeChunk(buf, 0, n);
                } else {
                    out.write(buf, 0, n);
                }
            }
            if (chunked) {
                out.writeLastChunk();
            }
        }
        out.flush();
        return readResponse(pool, c, req.method.equals("HEAD"));
    }

    /** Interim (1xx) responses read before the final one; a server sending more is refused. */
    private static final int MAX_INTERIM = 16;

    private Response readResponse(HostPool pool, Connection c, boolean head) throws IOException {
        ResponseHead r = readResponseHead(c.in, head);
        if (r == null) {
            throw new java.io.EOFException("the server closed the connection before answering");
        }
        BodyInput body = new BodyInput(c.in, r.framing, Long.MAX_VALUE, 502, 502, "response body", null, null);
        return new Response(r.status.status(), r.status.reason(), r.headers, body, pool, c, r.keepAlive, config.maxResponseBodySize);
    }

    /** A final response's head: its status line, fields, body framing and whether the connection stays open. */
    record ResponseHead(Http1.StatusLine status, HttpHeaders headers, Http1.Framing framing, boolean keepAlive) {
    }

    /**
     * Reads interim responses (at most {@link #MAX_INTERIM}) and the final response's head, as
     * the client does; static, so that the fuzz test runs exactly this.
     *
     * @return null when the connection ended before any byte
     */
    static ResponseHead readResponseHead(HttpInput in, boolean head) throws IOException {
        for (int interim = 0; ; interim++) {
            String line = in.readLine(Http1.Limits.CLIENT.maxStartLine(), 502, 502, "status line", true);
            if (line == null) {
                if (interim == 0) {
                    return null;
                }
                throw new HttpException(502, "the connection ended after an interim response");
            }
            Http1.StatusLine status = Http1.parseStatusLine(line, 502);
            HttpHeaders headers = new HttpHeaders();
            Http1.readFields(in, Http1.Limits.CLIENT, line.length() + 2, 502, 502, headers::addTrusted);
            if (status.status() < 200 && status.status() != 101) {
                if (interim >= MAX_INTERIM) {
                    throw new HttpException(502, "more than " + MAX_INTERIM + " interim (1xx) responses");
                }
                continue;   // 100 Continue and other interim responses
            }
            boolean keep = Http1.keepAlive(status.http11(), headers);
            Http1.Framing framing = status.status() == 101 ? Http1.Framing.NONE
                    : Http1.responseFraming(headers, status.http11(), status.status(), head, 502);
            return new ResponseHead(status, headers, framing, keep && framing.length() >= 0);   // a body ending with the connection ends it
        }
    }

    private static String hostHeader(URI uri) {
        int port = uri.getPort();
        String host = uri.getHost();
        if (host.indexOf(':') >= 0 && !host.startsWith("[")) {
            host = "[" + host + "]";
        }
        return port < 0 ? host : host + ":" + port;
    }

    // ---- responses ----------------------------------------------------------------------------

    /** A response; its body streams from the connection. Close it to give the connection back. */
    public static final class Response implements AutoCloseable {
        private final int status;
        private final String reason;
        private final HttpHeaders headers;
        private final BodyInput body;
        private final HostPool pool;
        private final Connection connection;
        private final boolean keepAlive;
        private final long maxBodySize;
        private boolean closed;

        Response(int status, String reason, HttpHeaders headers, BodyInput body, HostPool pool, Connection connection, boolean keepAlive,
                 long maxBodySize) {
            this.maxBodySize = maxBodySize;
            this.status = status;
            this.reason = reason;
            this.headers = headers;
            this.body = body;
            this.pool = pool;
            this.connection = connection;
            this.keepAlive = keepAlive;
            if (body.isDone()) {
                close();
            }
        }

        /**
         * The status code.
         *
         * @return the status, such as 200
         */
        public int status() {
            return status;
        }

        /**
         * The reason phrase of the status line.
         *
         * @return the reason, possibly empty
         */
        public String reason() {
            return reason;
        }

        /**
         * The response's headers.
         *
         * @return the headers, in the order received
         */
        public HttpHeaders headers() {
            return headers;
        }

        /**
         * The first value of a header.
         *
         * @param name the header's name, in any case
         * @return its first value, or null when absent
         */
        public String header(String name) {
            return headers.first(name);
        }

        /**
         * The body, decoded from chunked; at its end the connection goes back to the pool.
         *
         * @return a stream of the body's bytes; closing it closes the response
         */
        public InputStream body() {
            return new InputStream() {
                @Override
                public int read() throws IOException {
                    byte[] one = new byte[1];
                    int n = read(one, 0, 1);
                    return n < 0 ? -1 : one[0] & 0xff;
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    ensureOpen();
                    int n = body.read(b, off, len);
                    if (body.isDone()) {
                        Response.this.close();
                    }
                    return n;
                }

                @Override
                public byte[] readAllBytes() throws IOException {
                    ensureOpen();
                    byte[] all = body.readAllBytes();
                    Response.this.close();   // read to its end: the connection goes back
                    return all;
                }

                @Override
                public void close() {
                    Response.this.close();
                }

                private void ensureOpen() throws IOException {
                    if (closed && !body.isDone()) {
                        throw new IOException("the response was closed");
                    }
                }
            };
        }

        /**
         * The whole body, at most the client's {@link Builder#maxResponseBodySize} (else
         * {@link HttpException} 502, and the connection is closed).
         *
         * @return the body
         * @throws IOException when reading fails, or an {@link HttpException} 502 when the body is
         *     larger than the limit
         */
        public byte[] bodyBytes() throws IOException {
            try (InputStream in = body()) {
                return body.readAll(maxBodySize, 502, "response body");
            } finally {
                close();
            }
        }

        /**
         * The body as text (charset from Content-Type, else UTF-8).
         *
         * @return the body, decoded
         * @throws IOException when reading fails, or an {@link HttpException} 502 when the body is
         *     larger than the limit
         */
        public String bodyText() throws IOException {
            java.nio.charset.Charset cs = StandardCharsets.UTF_8;
            String type = headers.first("Content-Type");
            if (type != null) {
                int i = type.toLowerCase(java.util.Locale.ROOT).indexOf("charset=");
                if (i >= 0) {
                    try {
                        cs = java.nio.charset.Charset.forName(type.substring(i + 8).split(";")[0].replace("\"", "").strip());
                    } catch (RuntimeException e) {
                        // unknown charset: UTF-8
                    }
                }
            }
            return new String(bodyBytes(), cs);
        }

        /**
         * Gives the connection back to the pool when the body was read to its end and the server
         * keeps it alive; otherwise closes it. Idempotent.
         */
        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            if (keepAlive && body.isDone()) {
                pool.release(connection);
            } else {
                pool.discard(connection);
            }
        }

        @Override
        public String toString() {
            return "Response[" + status + " " + reason + "]";
        }
    }

    // ---- the pool -----------------------------------------------------------------------------

    private record PoolKey(Hub hub, String origin) {
    }

    private HostPool poolFor(URI uri) {
        String scheme = uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        int port = uri.getPort() >= 0 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
        GreenThread<?> g = GreenThread.current();
        PoolKey key = new PoolKey(g == null ? null : g.hub(), scheme + "://" + uri.getHost() + ":" + port);
        HostPool pool = pools.get(key);
        if (pool == null) {
            dropPoolsOfClosedHubs();   // only when a pool is added, so the hot path stays one lookup
            pool = pools.computeIfAbsent(key, k -> new HostPool(scheme.equals("https"), uri.getHost(), port));
        }
        return pool;
    }

    /**
     * A green socket belongs to its hub: once the hub is closed its pooled connections can never
     * be used again. Without this, a client outliving many short-lived hubs would hold every one
     * of them, and their sockets, for ever.
     */
    private void dropPoolsOfClosedHubs() {
        pools.entrySet().removeIf(e -> {
            Hub h = e.getKey().hub();
            if (h != null && h.isClosed()) {
                e.getValue().shutdown();
                return true;
            }
            return false;
        });
    }

    /** One open connection. */
    static final class Connection {
        final GreenSocket socket;
        final GreenSslSocket tls;
        final HttpInput in;
        final HttpOutput out;
        boolean reused;
        /** What {@code in} had received when the current exchange began: more means a response started. */
        long receivedBefore;

        Connection(GreenSocket socket, GreenSslSocket tls) {
            this.socket = socket;
            this.tls = tls;
            this.in = new HttpInput(tls != null ? tls.inputStream() : socket.inputStream(), tls != null ? null : socket::awaitReadable,
                    tls != null ? tls::setTimeout : socket::setTimeout, tls != null);
            this.out = new HttpOutput(tls != null ? tls.outputStream() : socket.outputStream());
        }

        /**
         * Closes the socket. The buffers are not given back to the pool here: close may come
         * from another thread while the connection's user is still reading into them (closing
         * a response to abort a read is the usual idiom), and a recycled array would then take
         * another connection's bytes. They go to the GC; an idle connection holds none anyway.
         */
        void close() {
            try {
                if (tls != null) {
                    tls.close();
                } else {
                    socket.close();
                }
            } catch (IOException e) {
                // gone anyway
            }
        }
    }

    /** The connections to one origin for one hub: idle ones, and a bound on open ones. */
    final class HostPool {
        private final boolean https;
        private final String host;
        private final int port;
        private final Semaphore open;
        private final ArrayDeque<Connection> idle = new ArrayDeque<>();   // guarded by itself
        /** Dropped from the client (it closed, or the hub did): connections given back are closed. Guarded by idle. */
        private boolean dead;

        HostPool(boolean https, String host, int port) {
            this.https = https;
            this.host = host;
            this.port = port;
            this.open = new Semaphore(config.maxConnectionsPerHost);
        }

        Connection acquire() throws IOException {
            open.acquire();
            Connection c;
            synchronized (idle) {
                c = idle.pollLast();
            }
            if (c != null) {
                c.reused = true;
                return c;
            }
            return connect();
        }

        /** A new connection for a retry; its slot is the one the failed connection held. */
        Connection acquireFresh() throws IOException {
            open.acquire();
            return connect();
        }

        private Connection connect() throws IOException {
            try {
                GreenSocket s = Eventlet.connect(InetSocketAddress.createUnresolved(host, port), config.connectTimeout);
                try {
                    s.setTcpNoDelay(true);
                    s.setTimeout(config.readTimeout);
                    GreenSslSocket t = null;
                    if (https) {
                        SSLContext ctx = config.tls != null ? config.tls : SSLContext.getDefault();
                        t = GreenSslSocket.client(s, ctx, host);
                    }
                    Connection c = new Connection(s, t);
                    c.in.readTimeout(config.readTimeout);   // what each read waits at most, also once a deadline is cleared
                    return c;
                } catch (IOException | RuntimeException e) {
                    s.close();
                    throw e;
                }
            } catch (java.security.NoSuchAlgorithmException e) {
                open.release();
                throw new IOException("no default TLS context: " + e, e);
            } catch (IOException | RuntimeException e) {
                open.release();
                throw e;
            }
        }

        void release(Connection c) {
            if (c.in.hasBuffered()) {
                discard(c);   // bytes nobody asked for (a body on a HEAD or 304 answer): they would become the next response
                return;
            }
            c.in.clearDeadline();
            c.in.releaseIfEmpty();   // idle in the pool without a buffer
            boolean kept;
            synchronized (idle) {
                // Checked under the lock that shutdown drains under: a connection released
                // while the pool is dropped is either drained there or closed here, never kept.
                kept = !dead && !closed;
                if (kept) {
                    idle.addLast(c);
                }
            }
            if (!kept) {
                c.close();
            }
            open.release();
        }

        int buffersHeld() {
            int n = 0;
            synchronized (idle) {
                for (Connection c : idle) {
                    n += (c.in.holdsBuffer() ? 1 : 0) + (c.out.holdsBuffer() ? 1 : 0);
                }
            }
            return n;
        }

        /** Drops the pool: closes its idle connections now, and those in use when they are given back. */
        void shutdown() {
            Connection[] drained;
            synchronized (idle) {
                dead = true;
                drained = idle.toArray(new Connection[0]);
                idle.clear();
            }
            for (Connection c : drained) {
                c.close();
            }
        }

        void discard(Connection c) {
            c.close();
            open.release();
        }
    }
}
