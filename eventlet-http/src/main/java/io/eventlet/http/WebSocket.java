package io.eventlet.http;

import io.eventlet.Eventlet;
import io.eventlet.http.internal.Http1;
import io.eventlet.http.internal.HttpInput;
import io.eventlet.net.GreenSocket;
import io.eventlet.net.GreenSslSocket;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;

/**
 * A WebSocket (RFC 6455) in blocking style: {@link #receive()} waits for the next message,
 * {@link #sendText}/{@link #sendBinary} send one. The server side upgrades a request from inside
 * an {@link HttpHandler} ({@link #accept}); the client side connects ({@link #connect}).
 *
 * {@snippet :
 * HttpHandler chat = (req, resp) -> {
 *     WebSocket ws = WebSocket.accept(req, resp);
 *     if (ws == null) return;                        // not an upgrade: 400/426 already sent
 *     for (WebSocket.Message m; (m = ws.receive()) != null; ) {
 *         ws.sendText("echo: " + m.text());
 *     }
 * };
 * }
 *
 * <p>Text and binary messages; fragmented messages are reassembled; pings are answered with
 * pongs; the close handshake carries a code and a reason. Protocol violations close the
 * connection with the RFC's code and make {@link #receive()} throw {@link WebSocketException}:
 * an unmasked client frame (or a masked server frame) 1002, a bad frame 1002 (a length not in
 * its shortest encoding included: RFC 6455 §5.2 says the minimal number of bytes MUST be used),
 * invalid UTF-8 in text 1007, a message over {@link #maxMessageSize(int)} 1009.
 *
 * <h2>Memory</h2>
 * A message is buffered as its bytes arrive, never allocated from the length its header claims,
 * so a header claiming megabytes costs about a kilobyte until the megabytes come. A message over
 * {@link #maxMessageSize(int)} (default 1 MiB, fragments together) is refused with 1009 as soon as
 * its header says so, before its payload is read.
 *
 * <h2>Timeouts</h2>
 * {@link #receive()} keeps an idle clock: after {@link #pingInterval} (default 30 s) with nothing
 * at all from the peer it sends a ping; if nothing at all arrives within {@link #idleTimeout}
 * (default 30 s) after that, it sends a close frame 1001 ("going away", RFC 6455 §7.4.1: this
 * endpoint is leaving a connection it takes for dead) and throws {@link WebSocketException} with
 * code 1001. Any bytes from the peer (a pong, data, part of a frame) end the silence, so a large
 * frame on a slow link is not cut off. The clock runs only while {@code receive()} waits. The
 * same socket timeout bounds each blocking send, so a peer that stops reading cannot hold a
 * sender forever: the send throws {@link java.net.SocketTimeoutException} (close the WebSocket
 * then, a frame may be half sent). {@link #close(int, String)} waits at most
 * {@link #closeTimeout} (default 5 s) for the peer's close frame, however the peer keeps sending.
 * Both sides, {@link #accept} and {@link #connect}, work the same way.
 *
 * <h2>Threading</h2>
 * One thread receives at a time; sends may come from any thread (frames never interleave).
 */
public final class WebSocket implements AutoCloseable {
    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * A whole message.
     *
     * @param isText whether it came in text frames
     * @param data its payload, fragments joined
     */
    public record Message(boolean isText, byte[] data) {
        /**
         * The text of a text message (UTF-8, validated on receipt).
         *
         * @return the data decoded as UTF-8
         */
        public String text() {
            return new String(data, StandardCharsets.UTF_8);
        }
    }

    /** The default {@link #maxMessageSize(int)}: what a server can afford to buffer per connection. */
    static final int DEFAULT_MAX_MESSAGE_SIZE = 1024 * 1024;
    static final Duration DEFAULT_PING_INTERVAL = Duration.ofSeconds(30);
    static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(30);
    static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(5);

    private final HttpInput in;
    private final OutputStream out;
    private final boolean client;   // clients mask what they send; servers must not
    private final IoClose closer;
    private final Clock clock;
    private final FrameDecoder decoder;
    private final ReentrantLock sendLock = new ReentrantLock();
    private boolean closeSent;       // guarded by sendLock
    private volatile boolean closeReceived;
    private volatile int closeCode = -1;
    private volatile String closeReason;
    private Duration closeTimeout = DEFAULT_CLOSE_TIMEOUT;

    @FunctionalInterface
    interface IoClose {
        void close() throws IOException;
    }

    private WebSocket(HttpInput in, OutputStream out, boolean client, IoClose closer, Consumer<Duration> socketTimeout) {
        this.in = in;
        this.out = out;
        this.client = client;
        this.closer = closer;
        this.clock = new Clock(socketTimeout);
        this.decoder = new FrameDecoder(clock, client, DEFAULT_MAX_MESSAGE_SIZE);
        clock.arm0();   // the handshake's timeout ends here; sends are bounded from the start
    }

    // ---- opening ------------------------------------------------------------------------------

    /**
     * Upgrades {@code request} (server side). The connection then belongs to the WebSocket; the
     * server closes it when the handler returns.
     *
     * @param request the upgrade request
     * @param response the request's response, which the handshake commits
     * @return null when the request is not a valid WebSocket upgrade; the response (400, or 426
     *     for another protocol version) has been sent
     * @throws IOException when writing the handshake's response fails
     */
    public static WebSocket accept(HttpRequest request, HttpResponse response) throws IOException {
        String key = request.header("Sec-WebSocket-Key");
        HttpHeaders h = request.headers();
        if (!request.method().equals("GET") || !h.hasToken("Upgrade", "websocket") || !h.hasToken("Connection", "upgrade")
                || key == null || !validKey(key)) {
            response.status(400).send("not a WebSocket upgrade request\n");
            return null;
        }
        if (!"13".equals(request.header("Sec-WebSocket-Version"))) {
            response.status(426).header("Sec-WebSocket-Version", "13").send("WebSocket version 13 only\n");
            return null;
        }
        HttpHeaders extra = new HttpHeaders()
                .add("Upgrade", "websocket")
                .add("Connection", "Upgrade")
                .add("Sec-WebSocket-Accept", acceptValue(key));
        response.switchProtocols(extra);
        HttpRequest.Raw raw = request.raw();
        // The request's timeouts end here; from now on the idle clock sets the socket's timeout.
        return new WebSocket(raw.in(), raw.out(), false, () -> { }, raw.timeout());
    }

    private static boolean validKey(String key) {
        try {
            return Base64.getDecoder().decode(key.strip()).length == 16;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    static String acceptValue(String key) {
        try {
            byte[] sha1 = MessageDigest.getInstance("SHA-1").digest((key.strip() + GUID).getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(sha1);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is required of every JDK", e);
        }
    }

    /**
     * Connects to a {@code ws://} or {@code wss://} URI (client side).
     *
     * @param uri a {@code ws://} or {@code wss://} URI
     * @param timeout bounds connecting and each read of the handshake; null for none
     * @param tls the TLS context for {@code wss://}, or null for the JDK's default
     * @return the open WebSocket
     * @throws IOException when connecting or the handshake fails (a {@link WebSocketException} when
     *     the server refuses the upgrade)
     */
    public static WebSocket connect(URI uri, Duration timeout, SSLContext tls) throws IOException {
        Objects.requireNonNull(uri, "uri");
        String scheme = uri.getScheme();
        boolean secure = "wss".equalsIgnoreCase(scheme);
        if (!secure && !"ws".equalsIgnoreCase(scheme) || uri.getHost() == null) {
            throw new IllegalArgumentException("not a ws:// or wss:// URI: " + uri);
        }
        int port = uri.getPort() >= 0 ? uri.getPort() : secure ? 443 : 80;
        GreenSocket socket = Eventlet.connect(InetSocketAddress.createUnresolved(uri.getHost(), port), timeout);
        try {
            socket.setTimeout(timeout);
            socket.setTcpNoDelay(true);
            java.io.InputStream rawIn;
            OutputStream rawOut;
            IoClose closer;
            if (secure) {
                SSLContext ctx = tls;
                if (ctx == null) {
                    try {
                        ctx = SSLContext.getDefault();
                    } catch (NoSuchAlgorithmException e) {
                        throw new IOException("no default TLS context: " + e, e);
                    }
                }
                GreenSslSocket s = GreenSslSocket.client(socket, ctx, uri.getHost());
                rawIn = s.inputStream();
                rawOut = s.outputStream();
                closer = s::close;
            } else {
                rawIn = socket.inputStream();
                rawOut = socket.outputStream();
                closer = socket::close;
            }
            byte[] nonce = new byte[16];
            RANDOM.nextBytes(nonce);
            String key = Base64.getEncoder().encodeToString(nonce);
            String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
            if (uri.getRawQuery() != null) {
                path += "?" + uri.getRawQuery();
            }
            OutputStream out = new BufferedOutputStream(rawOut, 8192);
            out.write(("GET " + path + " HTTP/1.1\r\nHost: " + uri.getHost() + (uri.getPort() >= 0 ? ":" + uri.getPort() : "")
                    + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + key
                    + "\r\nSec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            HttpInput in = new HttpInput(rawIn, null, socket::setTimeout, secure);
            in.readTimeout(timeout);
            if (timeout != null) {
                // The whole answer within the timeout: a server dripping its head cannot hold connect.
                in.deadline(System.nanoTime() + timeout.toNanos(), 504, "the server's answer to the upgrade");
            }
            // The handshake's response head is read as the HTTP client reads one, under its limits.
            HttpClient.ResponseHead answer = HttpClient.readResponseHead(in, false);
            in.clearDeadline();
            if (answer == null) {
                throw new WebSocketException(1002, "the server closed the connection instead of answering the upgrade");
            }
            HttpHeaders headers = answer.headers();
            if (answer.status().status() != 101 || !answer.status().http11()) {
                throw new WebSocketException(1002, "the server refused the upgrade: " + answer.status().status() + " "
                        + Http1.printable(answer.status().reason()));
            }
            List<String> accepts = headers.all("Sec-WebSocket-Accept");
            if (accepts.size() != 1 || !acceptValue(key).equals(accepts.get(0))) {
                throw new WebSocketException(1002, "bad Sec-WebSocket-Accept from the server: " + Http1.printable(String.join(", ", accepts)));
            }
            if (!headers.hasToken("Upgrade", "websocket") || !headers.hasToken("Connection", "upgrade")) {
                throw new WebSocketException(1002, "the server's 101 lacks Upgrade: websocket or Connection: upgrade");
            }
            return new WebSocket(in, out, true, closer, socket::setTimeout);   // the idle clock takes over the timeout
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /**
     * The largest message accepted, fragments together (1009 beyond); default 1 MiB. A larger
     * limit costs memory only when a message that large actually arrives.
     *
     * @param bytes the limit
     * @return this WebSocket
     */
    public WebSocket maxMessageSize(int bytes) {
        decoder.maxMessageSize(bytes);
        return this;
    }

    /**
     * How long {@link #receive()} waits in silence before it sends a ping; default 30 s, null for
     * no pings (then {@link #idleTimeout} counts from the last byte received).
     *
     * @param interval the silence before a ping, or null
     * @return this WebSocket
     */
    public WebSocket pingInterval(Duration interval) {
        clock.pingInterval = positiveOrNull(interval, "pingInterval");
        return this;
    }

    /**
     * How much longer {@link #receive()} waits, after its ping, for anything at all from the
     * peer before it closes with 1001 and throws; default 30 s, null to wait forever.
     *
     * @param timeout the wait after the ping, or null
     * @return this WebSocket
     */
    public WebSocket idleTimeout(Duration timeout) {
        clock.idleTimeout = positiveOrNull(timeout, "idleTimeout");
        return this;
    }

    /**
     * How long {@link #close(int, String)} waits for the peer's close frame; default 5 s.
     *
     * @param timeout how long to wait for the peer's close frame
     * @return this WebSocket
     */
    public WebSocket closeTimeout(Duration timeout) {
        this.closeTimeout = Objects.requireNonNull(positiveOrNull(timeout, "closeTimeout"), "closeTimeout");
        return this;
    }

    private static Duration positiveOrNull(Duration d, String what) {
        if (d != null && (d.isNegative() || d.isZero())) {
            throw new IllegalArgumentException(what + " must be positive or null, got " + d);
        }
        return d;
    }

    /** For tests: called with each data frame's claimed length, once its header is accepted and before its payload is read. */
    WebSocket headerListener(java.util.function.LongConsumer listener) {
        decoder.headerListener(listener);
        return this;
    }

    /** For tests: the capacity of the message buffer held now. */
    int bufferCapacity() {
        return decoder.bufferCapacity();
    }

    /**
     * The input the decoder reads: the connection's, with the idle clock and the close deadline
     * applied to every blocking read. A socket timeout bounds one wait for bytes, and any bytes
     * end that wait, so "no read timed out" is exactly "nothing arrived for that long"; the
     * close deadline is absolute instead, checked before every read and capping its timeout, so
     * a peer that keeps sending cannot stretch it.
     */
    private final class Clock extends java.io.InputStream {
        private final Consumer<Duration> socketTimeout;
        volatile Duration pingInterval = DEFAULT_PING_INTERVAL;
        volatile Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;
        private boolean pinged;            // the silence has lasted past the ping interval: a ping is out
        private long closeDeadline;        // System.nanoTime() by which close() gives up; 0 while open
        private boolean closing;
        private Duration applied = Duration.ofNanos(-1);   // what the socket is set to (never negative, so unset)

        Clock(Consumer<Duration> socketTimeout) {
            this.socketTimeout = socketTimeout;
        }

        void arm0() {
            applied = pingInterval != null ? pingInterval : idleTimeout;
            socketTimeout.accept(applied);
        }

        void closeBy(long deadline) {
            closeDeadline = deadline;
            closing = true;
        }

        @Override
        public int read() throws IOException {
            while (true) {
                arm();
                try {
                    int b = in.read();
                    pinged = false;   // bytes (or the end): the silence is over
                    return b;
                } catch (java.net.SocketTimeoutException e) {
                    onSilence();
                }
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            while (true) {
                arm();
                try {
                    int n = in.read(b, off, len);
                    pinged = false;
                    return n;
                } catch (java.net.SocketTimeoutException e) {
                    onSilence();
                }
            }
        }

        /** Sets the socket's timeout for the coming read: the phase's silence, capped by the close deadline. */
        private void arm() throws IOException {
            Duration t = pinged ? idleTimeout : pingInterval != null ? pingInterval : idleTimeout;
            if (closing) {
                long left = closeDeadline - System.nanoTime();
                if (left <= 0) {
                    throw new java.net.SocketTimeoutException("no close frame from the peer within " + closeTimeout);
                }
                if (in.hasBuffered()) {
                    return;   // no wait: bytes are there
                }
                Duration d = Duration.ofNanos(left);
                t = t == null || d.compareTo(t) < 0 ? d : t;
            } else if (in.hasBuffered()) {
                return;
            }
            if (!Objects.equals(t, applied)) {
                socketTimeout.accept(t);
                applied = t;
            }
        }

        /** A read waited its whole timeout in silence. */
        private void onSilence() throws IOException {
            if (closing && closeDeadline - System.nanoTime() <= 0) {
                throw new java.net.SocketTimeoutException("no close frame from the peer within " + closeTimeout);
            }
            if (closing) {
                return;   // the idle clock stands aside while the close deadline runs
            }
            if (!pinged && pingInterval != null) {
                pinged = true;
                if (!closeSent()) {
                    sendFrame(0x9, new byte[0], 0, 0, true);
                }
                return;
            }
            throw new IdleTimeout("nothing from the peer for " + (pingInterval == null ? "" : pingInterval + " and, after a ping, ")
                    + idleTimeout);
        }
    }

    /** The idle clock ran out: the peer is gone or stuck. */
    private static final class IdleTimeout extends java.net.SocketTimeoutException {
        private static final long serialVersionUID = 1L;

        IdleTimeout(String message) {
            super(message);
        }
    }

    // ---- receiving ----------------------------------------------------------------------------

    /**
     * The next message, reassembled from its fragments; pings are answered on the way, and the
     * idle clock sends a ping of its own after {@link #pingInterval} of silence.
     *
     * @return null once the peer's close frame has arrived (answered, and the connection closed)
     * @throws WebSocketException on a protocol violation (the connection was closed with its
     *     code); with code 1001 when the peer sent nothing at all within {@link #idleTimeout}
     *     after the ping (a close frame 1001 was sent and the connection closed)
     */
    public Message receive() throws IOException {
        if (closeReceived) {
            return null;
        }
        while (true) {
            FrameDecoder.Event event;
            try {
                event = decoder.next();
            } catch (WebSocketException e) {
                throw fail(e.code(), e.reason());
            } catch (IdleTimeout e) {
                throw fail(1001, e.getMessage());
            }
            switch (event) {
                case null -> {
                    closeReceived = true;
                    closeCode = 1006;
                    shutdown();
                    return null;   // abnormal closure: no close frame
                }
                case FrameDecoder.Data d -> {
                    return d.message();
                }
                case FrameDecoder.Close c -> {
                    onClose(c.code(), c.reason());
                    return null;
                }
                case FrameDecoder.Ping p -> {
                    if (!closeSent()) {   // after our close frame nothing more is sent (RFC 6455 §5.5.1)
                        sendFrame(0xA, p.payload(), 0, p.payload().length, true);
                    }
                }
                case FrameDecoder.Pong p -> {
                    // a pong: it has reset the idle clock, nothing more to do
                }
            }
        }
    }

    private boolean closeSent() {
        sendLock.lock();
        try {
            return closeSent;
        } finally {
            sendLock.unlock();
        }
    }

    private void onClose(int code, String reason) throws IOException {
        closeReceived = true;
        closeCode = code;
        closeReason = reason;
        sendClose(code == 1005 ? 1000 : code, reason);   // echo the code (and reason) back
        shutdown();
    }

    /** Closes with {@code code} after a violation and returns the exception to throw. */
    private WebSocketException fail(int code, String message) throws IOException {
        closeCode = code;
        closeReason = message;
        closeReceived = true;
        try {
            sendClose(code, message.length() > 100 ? message.substring(0, 100) : message);
        } catch (IOException e) {
            // the peer may be gone
        }
        shutdown();
        return new WebSocketException(code, message);
    }

    // ---- sending ------------------------------------------------------------------------------

    /**
     * Sends a text message in one frame.
     *
     * @param text the message, sent as UTF-8
     * @throws IOException when the write fails (the peer is gone, or a timeout passed), or the
     *     WebSocket is closing
     */
    public void sendText(String text) throws IOException {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        sendFrame(0x1, b, 0, b.length, true);
    }

    /**
     * Sends a binary message in one frame.
     *
     * @param data the message
     * @throws IOException when the write fails (the peer is gone, or a timeout passed), or the
     *     WebSocket is closing
     */
    public void sendBinary(byte[] data) throws IOException {
        sendFrame(0x2, data, 0, data.length, true);
    }

    /**
     * Sends one message in fragments of at most {@code fragmentSize} bytes.
     *
     * @param data the message
     * @param text true for a text message (then {@code data} is UTF-8), false for binary
     * @param fragmentSize the most bytes per frame, at least 1
     * @throws IOException when the write fails (the peer is gone, or a timeout passed), or the
     *     WebSocket is closing
     */
    public void sendFragmented(byte[] data, boolean text, int fragmentSize) throws IOException {
        if (fragmentSize < 1) {
            throw new IllegalArgumentException("fragmentSize must be positive");
        }
        sendLock.lock();
        try {
            int off = 0;
            do {
                int n = Math.min(fragmentSize, data.length - off);
                boolean last = off + n >= data.length;
                sendFrame(off == 0 ? (text ? 0x1 : 0x2) : 0x0, data, off, n, last);
                off += n;
            } while (off < data.length);
        } finally {
            sendLock.unlock();
        }
    }

    /**
     * Sends a ping (at most 125 bytes); the pong is consumed by {@link #receive()}.
     *
     * @param data the ping's payload, echoed in the pong
     * @throws IOException when the write fails (the peer is gone, or a timeout passed), or the
     *     WebSocket is closing
     */
    public void ping(byte[] data) throws IOException {
        if (data.length > 125) {
            throw new IllegalArgumentException("a ping carries at most 125 bytes");
        }
        sendFrame(0x9, data, 0, data.length, true);
    }

    private void sendFrame(int opcode, byte[] data, int off, int len, boolean fin) throws IOException {
        sendLock.lock();
        try {
            if (closeSent) {
                throw new IOException("the WebSocket is closing: nothing more can be sent");
            }
            if (opcode == 0x8) {
                closeSent = true;
            }
            ByteBuffer head = ByteBuffer.allocate(14);
            head.put((byte) ((fin ? 0x80 : 0) | opcode));
            int maskBit = client ? 0x80 : 0;
            if (len < 126) {
                head.put((byte) (maskBit | len));
            } else if (len < 65536) {
                head.put((byte) (maskBit | 126)).putShort((short) len);
            } else {
                head.put((byte) (maskBit | 127)).putLong(len);
            }
            byte[] payload = data;
            int from = off;
            if (client) {
                byte[] mask = new byte[4];
                RANDOM.nextBytes(mask);
                head.put(mask);
                payload = new byte[len];
                for (int i = 0; i < len; i++) {
                    payload[i] = (byte) (data[off + i] ^ mask[i & 3]);
                }
                from = 0;
            }
            out.write(head.array(), 0, head.position());
            out.write(payload, from, len);
            out.flush();
        } finally {
            sendLock.unlock();
        }
    }

    private void sendClose(int code, String reason) throws IOException {
        sendLock.lock();
        try {
            if (closeSent) {
                return;
            }
            byte[] r = reason.getBytes(StandardCharsets.UTF_8);
            byte[] body = new byte[2 + r.length];
            body[0] = (byte) (code >> 8);
            body[1] = (byte) code;
            System.arraycopy(r, 0, body, 2, r.length);
            sendFrame(0x8, body, 0, body.length, true);
        } finally {
            sendLock.unlock();
        }
    }

    // ---- closing ------------------------------------------------------------------------------

    /**
     * The close handshake: sends a close frame with {@code code} and {@code reason}, waits for
     * the peer's until {@link #closeTimeout} has passed (a deadline: frames the peer keeps
     * sending are read and dropped but do not extend it), then closes the connection.
     *
     * @param code the close code (RFC 6455 §7.4), such as 1000 for a normal closure
     * @param reason a short reason, or null for none
     * @throws IOException when closing the connection fails; a failure to send the close frame,
     *     or a peer that does not answer in time, only ends the handshake early
     * @throws IllegalArgumentException when {@code code} is not one an endpoint may send
     */
    public void close(int code, String reason) throws IOException {
        if (!FrameDecoder.validCloseCode(code)) {
            throw new IllegalArgumentException("not a close code an endpoint may send: " + code);
        }
        try {
            sendClose(code, reason == null ? "" : reason);
            clock.closeBy(System.nanoTime() + closeTimeout.toNanos());
            while (!closeReceived && receive() != null) {
                // dropped: after our close frame only the peer's matters
            }
        } catch (IOException e) {
            // the peer left without its close frame, or the deadline passed
        } finally {
            shutdown();
        }
    }

    /** {@link #close(int, String)} with 1000 (normal closure). */
    @Override
    public void close() throws IOException {
        close(1000, "");
    }

    private void shutdown() throws IOException {
        try {
            out.flush();
        } catch (IOException e) {
            // gone
        }
        closer.close();
    }

    /**
     * The close code received (or 1006 when the connection ended without one); -1 while open.
     *
     * @return the peer's close code, 1006, or -1
     */
    public int closeCode() {
        return closeCode;
    }

    /**
     * The close reason received, or null.
     *
     * @return the reason in the peer's close frame
     */
    public String closeReason() {
        return closeReason;
    }
}
