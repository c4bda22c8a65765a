package io.eventlet.http;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The response a handler builds: a status, headers, then a body — all at once
 * ({@link #send(String)}, {@link #send(byte[])}) or streamed ({@link #body()}: chunked to an
 * HTTP/1.1 client unless Content-Length is set, to the end of the connection for HTTP/1.0).
 * The server adds {@code Date} and {@code Content-Length} once, and {@code Connection} as needed.
 */
public final class HttpResponse {
    private final ServerExchange exchange;
    private int status = 200;
    private final HttpHeaders headers = new HttpHeaders();
    private boolean committed;
    private long bytesSent;
    /** Where the body goes once the head is out: the protocol's framing; null when the response has none. */
    private OutputStream sink;
    private BodyOutput body;

    HttpResponse(ServerExchange exchange) {
        this.exchange = exchange;
    }

    /**
     * Sets the status (before the headers are sent).
     *
     * @param code the status, from 100 to 999
     * @return this response
     * @throws IllegalArgumentException when {@code code} is out of range
     * @throws IllegalStateException when the headers have been sent
     */
    public HttpResponse status(int code) {
        if (code < 100 || code > 999) {
            throw new IllegalArgumentException("status out of range: " + code);
        }
        checkNotCommitted();
        this.status = code;
        return this;
    }

    /**
     * The status to send, or sent.
     *
     * @return the status; 200 unless set
     */
    public int status() {
        return status;
    }

    /**
     * Adds a header (before the headers are sent).
     *
     * @param name the header's name
     * @param value its value
     * @return this response
     * @throws IllegalArgumentException when the name is not a token or the value holds a control
     *     character or a character above U+00FF
     * @throws IllegalStateException when the headers have been sent
     */
    public HttpResponse header(String name, String value) {
        checkNotCommitted();
        headers.add(name, value);
        return this;
    }

    /**
     * The header fields to send; change them only before the headers are sent.
     *
     * @return the response's headers
     */
    public HttpHeaders headers() {
        return headers;
    }

    /**
     * True once the status line and headers have been written.
     *
     * @return whether the headers have been sent
     */
    public boolean committed() {
        return committed;
    }

    /**
     * Sends {@code text} as UTF-8 (text/plain unless a Content-Type was set) and ends the response.
     *
     * @param text the body
     * @throws IOException when writing to the client fails or is too slow
     */
    public void send(String text) throws IOException {
        if (!headers.contains("Content-Type")) {
            headers.add("Content-Type", "text/plain; charset=utf-8");
        }
        send(text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Sends {@code bytes} as the whole body and ends the response.
     *
     * @param bytes the body
     * @throws IOException when writing to the client fails or is too slow
     */
    public void send(byte[] bytes) throws IOException {
        Objects.requireNonNull(bytes, "bytes");
        checkNotCommitted();
        headers.set("Content-Length", Long.toString(bytes.length));
        commit();
        if (sink != null) {
            sink.write(bytes);
            bytesSent += bytes.length;
        }
        finish();
    }

    /**
     * The body as a stream; the headers go out with the first write (or at once on
     * {@link OutputStream#flush()}). Close it, or return from the handler, to end the response.
     *
     * @return the body's stream, the same on every call
     * @throws IOException never today (its writes throw when the client fails); declared for
     *     exchanges that write the headers at once
     * @throws IllegalStateException when the headers were already sent without it (by a
     *     {@code send})
     */
    public OutputStream body() throws IOException {
        if (body == null) {
            checkNotCommitted();
            body = new BodyOutput();
        }
        return body;
    }

    /** Ends the response: writes the headers if nothing was sent, and the body's end. */
    void finish() throws IOException {
        if (!committed) {
            headers.set("Content-Length", "0");
            commit();
        }
        if (body != null) {
            body.ended = true;
        }
        exchange.end();
    }

    /**
     * Answers 101 with {@code extra} headers and hands the connection to another protocol: the
     * server closes it once the handler returns.
     */
    void switchProtocols(HttpHeaders extra) throws IOException {
        checkNotCommitted();
        committed = true;
        status = 101;
        exchange.switchProtocols(extra);
    }

    long bytesSent() {
        return bytesSent;
    }

    private void checkNotCommitted() {
        if (committed) {
            throw new IllegalStateException("the response headers were already sent");
        }
    }

    private void commit() throws IOException {
        committed = true;
        sink = exchange.commit(status, headers);
    }

    /** The streamed body, handed to the protocol's framing. */
    private final class BodyOutput extends OutputStream {
        private boolean ended;

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            if (ended) {
                throw new IOException("the response body was already ended");
            }
            if (!committed) {
                commit();
            }
            if (len == 0 || sink == null) {
                return;   // no body in this response (HEAD, 204, 304): dropped
            }
            sink.write(b, off, len);
            bytesSent += len;
        }

        @Override
        public void flush() throws IOException {
            if (!committed) {
                commit();
            }
            exchange.flush();
        }

        @Override
        public void close() throws IOException {
            if (!ended) {
                finish();
            }
        }
    }

    /** The reason phrase of the common statuses. */
    static String reason(int status) {
        return switch (status) {
            case 100 -> "Continue";
            case 101 -> "Switching Protocols";
            case 200 -> "OK";
            case 201 -> "Created";
            case 202 -> "Accepted";
            case 204 -> "No Content";
            case 206 -> "Partial Content";
            case 301 -> "Moved Permanently";
            case 302 -> "Found";
            case 303 -> "See Other";
            case 304 -> "Not Modified";
            case 307 -> "Temporary Redirect";
            case 308 -> "Permanent Redirect";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 408 -> "Request Timeout";
            case 409 -> "Conflict";
            case 411 -> "Length Required";
            case 413 -> "Content Too Large";
            case 414 -> "URI Too Long";
            case 415 -> "Unsupported Media Type";
            case 417 -> "Expectation Failed";
            case 426 -> "Upgrade Required";
            case 429 -> "Too Many Requests";
            case 431 -> "Request Header Fields Too Large";
            case 500 -> "Internal Server Error";
            case 501 -> "Not Implemented";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 505 -> "HTTP Version Not Supported";
            default -> "Status " + status;
        };
    }
}
