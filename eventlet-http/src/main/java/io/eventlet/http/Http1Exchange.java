package io.eventlet.http;

import io.eventlet.http.internal.Http1;
import io.eventlet.http.internal.HttpOutput;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * HTTP/1.1's side of one request and its response: the status line, the framing (a
 * Content-Length the handler set, else chunked to a 1.1 client, else the end of the connection),
 * {@code Connection} and {@code Keep-Alive}, the {@code Date}. One per request; on the
 * connection's green thread.
 */
final class Http1Exchange implements ServerExchange {
    private final HttpOutput out;
    private final boolean head;
    private final boolean http11;
    private final long keepAliveSeconds;
    /** False once the server drains: every response then closes its connection. */
    private final BooleanSupplier serverOpen;
    private boolean keepAlive;
    private boolean chunked;
    private boolean ended;
    private boolean committed;

    /**
     * @param keepAlive whether the request allows the connection to stay open
     * @param keepAliveSeconds what {@code Keep-Alive: timeout=N} advertises (0: nothing)
     */
    Http1Exchange(HttpOutput out, boolean head, boolean http11, boolean keepAlive, long keepAliveSeconds, BooleanSupplier serverOpen) {
        this.out = out;
        this.head = head;
        this.http11 = http11;
        this.keepAlive = keepAlive;
        this.keepAliveSeconds = keepAliveSeconds;
        this.serverOpen = serverOpen;
    }

    /** The exchange of a request the parser refused: answered as 1.1, then the connection closes. */
    static Http1Exchange refusal(HttpOutput out) {
        return new Http1Exchange(out, false, true, false, 0, () -> false);
    }

    /** Whether the connection may serve another request after this response. */
    boolean keepAlive() {
        return keepAlive && serverOpen.getAsBoolean();
    }

    @Override
    public void closeAfter() {
        keepAlive = false;
    }

    /** True once the response head has been written (a 100 Continue then comes too late). */
    boolean committed() {
        return committed;
    }

    @Override
    public OutputStream commit(int status, HttpHeaders headers) throws IOException {
        committed = true;
        boolean bodyAllowed = status >= 200 && status != 204 && status != 304;
        if (!headers.contains("Content-Length") && bodyAllowed) {
            if (http11) {
                chunked = !head;
                headers.set("Transfer-Encoding", "chunked");
            } else {
                keepAlive = false;   // HTTP/1.0 without a length: the end of the connection ends the body
            }
        }
        if (headers.hasToken("Connection", "close")) {
            keepAlive = false;
        }
        headers.remove("Connection");
        headers.remove("Keep-Alive");
        if (keepAlive()) {
            if (!http11) {
                headers.add("Connection", "keep-alive");
            }
            if (keepAliveSeconds > 0) {
                headers.add("Keep-Alive", "timeout=" + keepAliveSeconds);
            }
        } else {
            headers.add("Connection", "close");
            keepAlive = false;   // said: it holds even if what decided it (a full server) changes before the end
        }
        if (!headers.contains("Date")) {
            headers.add("Date", date());
        }
        Latin1 h = new Latin1();
        h.append(http11 ? "HTTP/1.1 " : "HTTP/1.0 ").append(Integer.toString(status)).append(" ").append(HttpResponse.reason(status)).append("\r\n");
        headers.forEach((n, v) -> h.append(n).append(": ").append(v).append("\r\n"));
        h.append("\r\n");
        out.write(h.bytes, 0, h.length);
        if (head || !bodyAllowed) {
            return null;
        }
        return chunked ? new ChunkedBody() : out;
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    @Override
    public void end() throws IOException {
        if (chunked && !ended) {
            out.writeLastChunk();
        }
        ended = true;
        out.flush();
    }

    @Override
    public void switchProtocols(HttpHeaders extra) throws IOException {
        keepAlive = false;   // the connection is the new protocol's now, and closes after it
        StringBuilder h = new StringBuilder("HTTP/1.1 101 Switching Protocols\r\n");
        extra.forEach((n, v) -> h.append(n).append(": ").append(v).append("\r\n"));
        h.append("\r\n");
        out.write(h.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        out.endPace();   // a response's send pace is not the new protocol's: a WebSocket may live for hours
    }

    /** The body in chunks, one per write. */
    private final class ChunkedBody extends OutputStream {
        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            out.writeChunk(b, off, len);
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }
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
}
