package io.eventlet.http;

import io.eventlet.Eventlet;
import io.eventlet.GreenSocket;
import io.eventlet.GreenSslSocket;
import io.eventlet.http.internal.Http1;
import io.eventlet.http.internal.HttpInput;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
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
 * an unmasked client frame (or a masked server frame) 1002, a bad frame 1002, invalid UTF-8 in
 * text 1007, a message over {@link #maxMessageSize(int)} 1009.
 *
 * <h2>Threading</h2>
 * One thread receives at a time; sends may come from any thread (frames never interleave).
 */
public final class WebSocket implements AutoCloseable {
    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A whole message. */
    public record Message(boolean isText, byte[] data) {
        /** The text of a text message (UTF-8, validated on receipt). */
        public String text() {
            return new String(data, StandardCharsets.UTF_8);
        }
    }

    private final HttpInput in;
    private final OutputStream out;
    private final boolean client;   // clients mask what they send; servers must not
    private final IoClose closer;
    private final ReentrantLock sendLock = new ReentrantLock();
    private int maxMessageSize = 16 * 1024 * 1024;
    private boolean closeSent;       // guarded by sendLock
    private volatile boolean closeReceived;
    private volatile int closeCode = -1;
    private volatile String closeReason;

    @FunctionalInterface
    interface IoClose {
        void close() throws IOException;
    }

    private WebSocket(HttpInput in, OutputStream out, boolean client, IoClose closer) {
        this.in = in;
        this.out = out;
        this.client = client;
        this.closer = closer;
    }

    // ---- opening ------------------------------------------------------------------------------

    /**
     * Upgrades {@code request} (server side). The connection then belongs to the WebSocket; the
     * server closes it when the handler returns.
     *
     * @return null when the request is not a valid WebSocket upgrade; the response (400, or 426
     *     for another protocol version) has been sent
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
        raw.timeout().accept(null);   // a WebSocket may stay quiet for long; pings are the app's to send
        return new WebSocket(raw.in(), raw.out(), false, () -> { });
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

    /** Connects to a {@code ws://} or {@code wss://} URI (client side). */
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
            HttpInput in = new HttpInput(rawIn);
            // The handshake's response head is read by the one HTTP/1 codec, under a client's limits.
            String line = in.readLine(Http1.Limits.CLIENT.maxStartLine(), 502, "status line", true);
            if (line == null) {
                throw new WebSocketException(1002, "the server closed the connection instead of answering the upgrade");
            }
            Http1.StatusLine status = Http1.parseStatusLine(line, 502);
            HttpHeaders headers = new HttpHeaders();
            Http1.readFields(in, Http1.Limits.CLIENT, line.length() + 2, 502, 502, headers::addTrusted);
            if (status.status() != 101 || !status.http11()) {
                throw new WebSocketException(1002, "the server refused the upgrade: " + Http1.printable(line));
            }
            List<String> accepts = headers.all("Sec-WebSocket-Accept");
            if (accepts.size() != 1 || !acceptValue(key).equals(accepts.get(0))) {
                throw new WebSocketException(1002, "bad Sec-WebSocket-Accept from the server: " + Http1.printable(String.join(", ", accepts)));
            }
            if (!headers.hasToken("Upgrade", "websocket") || !headers.hasToken("Connection", "upgrade")) {
                throw new WebSocketException(1002, "the server's 101 lacks Upgrade: websocket or Connection: upgrade");
            }
            socket.setTimeout(null);
            return new WebSocket(in, out, true, closer);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** The largest message accepted (1009 beyond); default 16 MiB. */
    public WebSocket maxMessageSize(int bytes) {
        if (bytes < 1) {
            throw new IllegalArgumentException("maxMessageSize must be positive, got " + bytes);
        }
        this.maxMessageSize = bytes;
        return this;
    }

    // ---- receiving ----------------------------------------------------------------------------

    /**
     * The next message, reassembled from its fragments; pings are answered on the way.
     *
     * @return null once the peer's close frame has arrived (answered, and the connection closed)
     * @throws WebSocketException on a protocol violation (the connection was closed with its code)
     */
    public Message receive() throws IOException {
        if (closeReceived) {
            return null;
        }
        java.io.ByteArrayOutputStream message = null;
        boolean text = false;
        while (true) {
            int b0 = in.read();
            if (b0 < 0) {
                closeReceived = true;
                closeCode = 1006;
                shutdown();
                return null;   // abnormal closure: no close frame
            }
            int b1 = readByte();
            boolean fin = (b0 & 0x80) != 0;
            int opcode = b0 & 0x0F;
            boolean masked = (b1 & 0x80) != 0;
            long len = b1 & 0x7F;
            if ((b0 & 0x70) != 0) {
                throw fail(1002, "reserved bits set without an extension");
            }
            if (len == 126) {
                len = (readByte() << 8) | readByte();
            } else if (len == 127) {
                len = 0;
                for (int i = 0; i < 8; i++) {
                    len = (len << 8) | readByte();
                }
                if (len < 0) {
                    throw fail(1002, "frame length out of range");
                }
            }
            if (masked == client) {
                throw fail(1002, client ? "a masked frame from the server" : "an unmasked frame from the client");
            }
            byte[] mask = null;
            if (masked) {
                mask = new byte[4];
                in.readFully(mask, 0, 4);
            }
            boolean control = (opcode & 0x8) != 0;
            if (control && (len > 125 || !fin)) {
                throw fail(1002, "control frame fragmented or longer than 125 bytes");
            }
            long sizeSoFar = message == null ? 0 : message.size();
            if (!control && sizeSoFar + len > maxMessageSize) {
                throw fail(1009, "message larger than " + maxMessageSize + " bytes");
            }
            byte[] payload = new byte[(int) len];
            in.readFully(payload, 0, payload.length);
            if (mask != null) {
                for (int i = 0; i < payload.length; i++) {
                    payload[i] ^= mask[i & 3];
                }
            }
            switch (opcode) {
                case 0x0 -> {
                    if (message == null) {
                        throw fail(1002, "a continuation frame with no message to continue");
                    }
                    message.write(payload);
                }
                case 0x1, 0x2 -> {
                    if (message != null) {
                        throw fail(1002, "a new message before the last one's final fragment");
                    }
                    message = new java.io.ByteArrayOutputStream((int) Math.min(len, 64 * 1024));
                    message.write(payload);
                    text = opcode == 0x1;
                }
                case 0x8 -> {
                    onClose(payload);
                    return null;
                }
                case 0x9 -> sendFrame(0xA, payload, 0, payload.length, true);
                case 0xA -> {
                    // a pong: nothing to do
                }
                default -> throw fail(1002, "unknown opcode " + opcode);
            }
            if (fin && message != null && !control) {
                byte[] data = message.toByteArray();
                if (text && !validUtf8(data)) {
                    throw fail(1007, "invalid UTF-8 in a text message");
                }
                return new Message(text, data);
            }
        }
    }

    private int readByte() throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new java.io.EOFException("connection ended inside a WebSocket frame");
        }
        return b;
    }

    private static boolean validUtf8(byte[] data) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(data));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    private void onClose(byte[] payload) throws IOException {
        closeReceived = true;
        int code = 1005;
        String reason = "";
        if (payload.length == 1) {
            throw fail(1002, "a close frame with a one-byte body");
        }
        if (payload.length >= 2) {
            code = ((payload[0] & 0xff) << 8) | (payload[1] & 0xff);
            byte[] r = java.util.Arrays.copyOfRange(payload, 2, payload.length);
            if (!validUtf8(r)) {
                throw fail(1007, "invalid UTF-8 in the close reason");
            }
            reason = new String(r, StandardCharsets.UTF_8);
            if (!validCloseCode(code)) {
                throw fail(1002, "invalid close code " + code);
            }
        }
        closeCode = code;
        closeReason = reason;
        sendClose(code == 1005 ? 1000 : code, reason);   // echo the code (and reason) back
        shutdown();
    }

    private static boolean validCloseCode(int code) {
        return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
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

    public void sendText(String text) throws IOException {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        sendFrame(0x1, b, 0, b.length, true);
    }

    public void sendBinary(byte[] data) throws IOException {
        sendFrame(0x2, data, 0, data.length, true);
    }

    /** Sends one message in fragments of at most {@code fragmentSize} bytes. */
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

    /** Sends a ping (at most 125 bytes); the pong is consumed by {@link #receive()}. */
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
     * The close handshake: sends a close frame with {@code code} and {@code reason}, waits (for
     * at most 5 s of further frames) for the peer's, then closes the connection.
     */
    public void close(int code, String reason) throws IOException {
        if (!validCloseCode(code)) {
            throw new IllegalArgumentException("not a close code an endpoint may send: " + code);
        }
        try {
            sendClose(code, reason == null ? "" : reason);
            long end = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (!closeReceived && System.nanoTime() < end) {
                if (receive() == null) {
                    break;
                }
            }
        } catch (IOException e) {
            // the peer left without its close frame
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

    /** The close code received (or 1006 when the connection ended without one); -1 while open. */
    public int closeCode() {
        return closeCode;
    }

    /** The close reason received, or null. */
    public String closeReason() {
        return closeReason;
    }
}
