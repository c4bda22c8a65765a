package io.eventlet.http;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import io.eventlet.http.internal.Http1;
import io.eventlet.http.internal.HttpOutput;
import java.util.Objects;

/**
 * The response a handler builds: a status, headers, then a body — all at once
 * ({@link #send(String)}, {@link #send(byte[])}) or streamed ({@link #body()}: chunked to an
 * HTTP/1.1 client unless Content-Length is set, to the end of the connection for HTTP/1.0).
 * The server adds {@code Date} and {@code Content-Length} once, and {@code Connection} as needed.
 */
public final class HttpResponse {
    private final Exchange exchange;
    private int status = 200;
    private final HttpHeaders headers = new HttpHeaders();
    private boolean committed;
    private long bytesSent;
    private BodyOutput body;

    HttpResponse(Exchange exchange) {
        this.exchange = exchange;
    }

    /** What the connection knows about the request this answers. Package-private glue. */
    interface Exchange {
        boolean head();

        boolean http11();

        /** Whether the connection may stay open after this response. */
        boolean keepAlive();

        /** Forces the connection to close after this response. */
        void close();

        /** The {@code Keep-Alive: timeout=N} seconds to advertise, or 0. */
        long keepAliveSeconds();

        HttpOutput out();
    }

    /** Sets the status (before the headers are sent). */
    public HttpResponse status(int code) {
        if (code < 100 || code > 999) {
            throw new IllegalArgumentException("status out of range: " + code);
        }
        checkNotCommitted();
        this.status = code;
        return this;
    }

    public int status() {
        return status;
    }

    /** Adds a header (before the headers are sent). */
    public HttpResponse header(String name, String value) {
        checkNotCommitted();
        headers.add(name, value);
        return this;
    }

    public HttpHeaders headers() {
        return headers;
    }

    /** True once the status line and headers have been written. */
    public boolean committed() {
        return committed;
    }

    /** Sends {@code text} as UTF-8 (text/plain unless a Content-Type was set) and ends the response. */
    public void send(String text) throws IOException {
        if (!headers.contains("Content-Type")) {
            headers.add("Content-Type", "text/plain; charset=utf-8");
        }
        send(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Sends {@code bytes} as the whole body and ends the response. */
    public void send(byte[] bytes) throws IOException {
        Objects.requireNonNull(bytes, "bytes");
        checkNotCommitted();
        headers.set("Content-Length", Long.toString(bytes.length));
        writeHead();
        if (!exchange.head()) {
            exchange.out().write(bytes);
            bytesSent += bytes.length;
        }
        finish();
    }

    /**
     * The body as a stream; the headers go out with the first write (or at once on
     * {@link OutputStream#flush()}). Close it, or return from the handler, to end the response.
     */
    public OutputStream body() throws IOException {
        if (body == null) {
            checkNotCommitted();
            body = new BodyOutput();
        }
        return body;
    }

    /** Ends the response: writes the headers if nothing was sent, and the last chunk. */
    void finish() throws IOException {
        if (!committed) {
            headers.set("Content-Length", "0");
            writeHead();
        }
        if (body != null) {
            body.end();
        }
        exchange.out().flush();
    }

    /**
     * Answers 101 with {@code extra} headers and hands the connection to another protocol: the
     * server closes it once the handler returns.
     */
    void switchProtocols(HttpHeaders extra) throws IOException {
        checkNotCommitted();
        committed = true;
        status = 101;
        exchange.close();
        StringBuilder head = new StringBuilder("HTTP/1.1 101 Switching Protocols\r\n");
        extra.forEach((n, v) -> head.append(n).append(": ").append(v).append("\r\n"));
        head.append("\r\n");
        exchange.out().write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        exchange.out().flush();
    }

    long bytesSent() {
        return bytesSent;
    }

    private void checkNotCommitted() {
        if (committed) {
            throw new IllegalStateException("the response headers were already sent");
        }
    }

    private void writeHead() throws IOException {
        committed = true;
        String length = headers.first("Content-Length");
        boolean chunked = false;
        if (length == null && status >= 200 && status != 204 && status != 304) {
            if (exchange.http11()) {
                chunked = true;
                headers.set("Transfer-Encoding", "chunked");
            } else {
                exchange.close();   // HTTP/1.0 without a length: the end of the connection ends the body
            }
        }
        if (body != null) {
            body.chunked = chunked && !exchange.head();
        }
        if (headers.hasToken("Connection", "close")) {
            exchange.close();
        }
        headers.remove("Connection");
        headers.remove("Keep-Alive");
        if (exchange.keepAlive()) {
            if (!exchange.http11()) {
                headers.add("Connection", "keep-alive");
            }
            if (exchange.keepAliveSeconds() > 0) {
                headers.add("Keep-Alive", "timeout=" + exchange.keepAliveSeconds());
            }
        } else {
            headers.add("Connection", "close");
        }
        if (!headers.contains("Date")) {
            headers.add("Date", date());
        }
        Latin1 head = new Latin1();
        head.append(exchange.http11() ? "HTTP/1.1 " : "HTTP/1.0 ").append(Integer.toString(status)).append(" ").append(reason(status)).append("\r\n");
        headers.forEach((n, v) -> head.append(n).append(": ").append(v).append("\r\n"));
        head.append("\r\n");
        exchange.out().write(head.bytes, 0, head.length);
    }

    /** A response head as ISO-8859-1 bytes, without a String in between. */
    private static final class Latin1 {
        byte[] bytes = new byte[256];
        int length;

        Latin1 append(String s) {
            int n = s.length();
            if (length + n > bytes.length) {
                bytes = java.util.Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + n));
            }
            for (int i = 0; i < n; i++) {
                bytes[length++] = (byte) s.charAt(i);
            }
            return this;
        }
    }

    /** The streamed body: chunked framing when the head said so. */
    private final class BodyOutput extends OutputStream {
        boolean chunked;
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
                writeHead();
            }
            if (len == 0 || exchange.head()) {
                return;
            }
            HttpOutput out = exchange.out();
            if (chunked) {
                out.writeChunk(b, off, len);
            } else {
                out.write(b, off, len);
            }
            bytesSent += len;
        }

        @Override
        public void flush() throws IOException {
            if (!committed) {
                writeHead();
            }
            exchange.out().flush();
        }

        @Override
        public void close() throws IOException {
            finish();
        }

        void end() throws IOException {
            if (ended) {
                return;
            }
            ended = true;
            if (!committed) {
                writeHead();
            }
            if (chunked) {
                exchange.out().writeLastChunk();
            }
        }
    }

    /** The Date header's value, formatted once per second (formatting per response cost ~10% of a hello-world request). */
    private static volatile CachedDate cachedDate = new CachedDate(0, "");

    private record CachedDate(long second, String text) {
    }

    static String date() {
        long second = System.currentTimeMillis() / 1000;
        CachedDate d = cachedDate;
        if (d.second != second) {
            d = new CachedDate(second, Http1.imfFixdate(second));
            cachedDate = d;
        }
        return d.text;
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
