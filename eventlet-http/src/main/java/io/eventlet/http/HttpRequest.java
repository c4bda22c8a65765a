package io.eventlet.http;

import io.eventlet.http.internal.BodyInput;
import io.eventlet.http.internal.Http1;
import io.eventlet.http.internal.HttpInput;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketAddress;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * One request, as the handler sees it: the request line, the headers and the body as a stream
 * (read it, or leave it: the server drops what is left before the next request).
 */
public final class HttpRequest {
    private final Http1.RequestLine line;
    private final HttpHeaders headers;
    private final BodyInput body;
    private final SocketAddress remote;

    /** The raw connection, for a protocol switch (WebSocket). */
    record Raw(HttpInput in, java.io.OutputStream out, java.util.function.Consumer<java.time.Duration> timeout) {
    }

    private Raw raw;

    HttpRequest(Http1.RequestLine line, HttpHeaders headers, BodyInput body, SocketAddress remote) {
        this.line = line;
        this.headers = headers;
        this.body = body;
        this.remote = remote;
    }

    /**
     * {@code GET}, {@code POST}, ... as sent.
     *
     * @return the request method
     */
    public String method() {
        return line.method();
    }

    /**
     * The request target as sent: {@code /path?query} (origin form), {@code http://host/path}
     * (absolute form, RFC 9112 §3.2.2), {@code host:port} (CONNECT) or {@code *} (OPTIONS).
     *
     * @return the request target
     */
    public String target() {
        return line.target();
    }

    /**
     * The target's path, without the query, whatever the target's form ({@code /path} of
     * {@code http://host/path?q}); {@code *} for {@code OPTIONS *}; null for CONNECT. Still
     * percent-encoded, as sent.
     *
     * @return the path, or null for CONNECT
     */
    public String path() {
        return line.path();
    }

    /**
     * The target's query without the {@code ?}, or null.
     *
     * @return the query, or null when the target has none
     */
    public String query() {
        return line.query();
    }

    /**
     * The authority the request is for: the absolute-form target's (which RFC 9112 §3.2.2 says
     * wins over Host), else the Host header's; null when neither gives one.
     *
     * @return the authority, such as {@code example.org:8080}, or null
     */
    public String authority() {
        if (line.authority() != null) {
            return line.authority();
        }
        String host = headers.first("Host");
        return host == null || host.isEmpty() ? null : host;
    }

    /**
     * {@code HTTP/1.1} or {@code HTTP/1.0}; a request that said {@code HTTP/1.2} (or another
     * later minor version) is read, and answered, as {@code HTTP/1.1}.
     *
     * @return the protocol version of the request line
     */
    public String version() {
        return line.http11() ? "HTTP/1.1" : "HTTP/1.0";
    }

    /**
     * The request's header fields, in the order received.
     *
     * @return the headers; do not change them
     */
    public HttpHeaders headers() {
        return headers;
    }

    /**
     * The first value of a header, or null.
     *
     * @param name the header's name, in any case
     * @return its first value
     */
    public String header(String name) {
        return headers.first(name);
    }

    /**
     * The body, decoded from chunked when it was sent so; empty when there is none. Reading it
     * sends {@code 100 Continue} first when the client asked for it.
     *
     * @return the body's stream; the server drains what the handler leaves unread
     */
    public InputStream body() {
        return body;
    }

    /**
     * The whole body (within the server's body limit, else {@link HttpException} 413).
     *
     * @return the body
     * @throws IOException when reading fails: an {@link HttpException} 413 past the limit, 408 when
     *     the body is too slow, 400 when its framing is malformed
     */
    public byte[] bodyBytes() throws IOException {
        return body.readAllBytes();
    }

    /**
     * The whole body as text, in the charset of Content-Type or UTF-8.
     *
     * @return the body, decoded
     * @throws IOException when reading fails: an {@link HttpException} 413 past the limit, 408 when
     *     the body is too slow, 400 when its framing is malformed
     */
    public String bodyText() throws IOException {
        return new String(bodyBytes(), charset());
    }

    private Charset charset() {
        String type = headers.first("Content-Type");
        if (type != null) {
            for (String part : type.split(";")) {
                String p = part.strip();
                if (p.regionMatches(true, 0, "charset=", 0, 8)) {
                    try {
                        return Charset.forName(p.substring(8).replace("\"", ""));
                    } catch (RuntimeException e) {
                        break;
                    }
                }
            }
        }
        return StandardCharsets.UTF_8;
    }

    /**
     * The client's address.
     *
     * @return the peer's address
     */
    public SocketAddress remoteAddress() {
        return remote;
    }

    HttpRequest raw(Raw r) {
        this.raw = r;
        return this;
    }

    Raw raw() {
        return raw;
    }

    @Override
    public String toString() {
        return line.method() + " " + line.target() + " " + version();
    }
}
