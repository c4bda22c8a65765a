package io.eventlet.http;

import io.eventlet.hub.selector.SelectorHubProvider;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** WebSocket: green client and server, raw frames that break the rules, and Node's `ws` client. */
class WebSocketTest {
    private HttpServer server;
    /** What the server saw: "close CODE REASON" or "error CODE". */
    private final LinkedBlockingQueue<String> events = new LinkedBlockingQueue<>();

    @AfterEach
    void stop() throws IOException {
        if (server != null) {
            server.close();
        }
    }

    private void handle(HttpRequest req, HttpResponse resp) throws Exception {
        WebSocket ws = WebSocket.accept(req, resp);
        if (ws == null) {
            return;
        }
        switch (req.path()) {
            case "/small" -> ws.maxMessageSize(10);
            case "/big" -> ws.maxMessageSize(16 * 1024 * 1024).headerListener(len -> headersRead.release());
            case "/idle" -> ws.pingInterval(PING).idleTimeout(IDLE);
            case "/closing" -> {
                ws.closeTimeout(Duration.ofMillis(300));
                ws.receive();
                long t0 = System.nanoTime();
                ws.close(1000, "bye");
                events.add("closed after " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0) + " ms");
                return;
            }
            default -> {
            }
        }
        try {
            for (WebSocket.Message m; (m = ws.receive()) != null; ) {
                if (m.isText()) {
                    ws.sendText(m.text());
                } else {
                    ws.sendBinary(m.data());
                }
            }
            events.add("close " + ws.closeCode() + " " + ws.closeReason());
        } catch (WebSocketException e) {
            events.add("error " + e.code());
        } catch (IOException e) {
            events.add("io " + e);
        }
    }

    private static final Duration PING = Duration.ofMillis(200);
    private static final Duration IDLE = Duration.ofMillis(300);
    /** Released once per data frame header the server has accepted on /big. */
    private final java.util.concurrent.Semaphore headersRead = new java.util.concurrent.Semaphore(0);

    private int start(String hub) throws IOException {
        server = HttpServer.builder(this::handle).hub(hub).start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        return server.address().getPort();
    }

    @Test
    void greenClientAndServerEchoTextBinaryAndFragmentsAndClose() throws Exception {
        int port = start("selector");
        io.eventlet.Hub.run(new SelectorHubProvider(), () -> {
            WebSocket ws = WebSocket.connect(URI.create("ws://127.0.0.1:" + port + "/ws"), Duration.ofSeconds(10), null);
            ws.sendText("grüß dich");
            assertEquals("grüß dich", ws.receive().text());
            ws.sendBinary(new byte[] {0, 1, 2, (byte) 255});
            WebSocket.Message bin = ws.receive();
            assertFalse(bin.isText());
            assertArrayEquals(new byte[] {0, 1, 2, (byte) 255}, bin.data());
            ws.ping("are you there".getBytes(StandardCharsets.UTF_8));
            byte[] big = "x".repeat(70_000).getBytes(StandardCharsets.US_ASCII);
            ws.sendFragmented(big, true, 30_000);
            assertEquals(70_000, ws.receive().data().length, "fragments reassembled, 64-bit lengths on the way back");
            ws.close(4001, "done here");
            return null;
        });
        assertEquals("close 4001 done here", events.poll(20, TimeUnit.SECONDS));
    }

    @Test
    void anUpgradedConnectionIsNotCutByTheResponsesSendPace() throws Exception {
        // A send pace of 300 ms for the 101 response: a WebSocket that lives longer must go on.
        server = HttpServer.builder(this::handle).hub("selector").sendTimeout(Duration.ofMillis(300), 0)
                .start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        int port = server.address().getPort();
        io.eventlet.Hub.run(new SelectorHubProvider(), () -> {
            WebSocket ws = WebSocket.connect(URI.create("ws://127.0.0.1:" + port + "/ws"), Duration.ofSeconds(10), null);
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1200);
            int n = 0;
            while (System.nanoTime() < until) {
                ws.sendText("m" + n);
                assertEquals("m" + n, ws.receive().text(), "echoed after " + n + " messages");
                n++;
                io.eventlet.Eventlet.sleep(Duration.ofMillis(50));   // the conversation's pace, four times the send pace in all
            }
            ws.close(1000, "");
            return null;
        });
        assertEquals("close 1000 ", events.poll(20, TimeUnit.SECONDS));
    }

    @Test
    void aTooLargeMessageCloses1009() throws Exception {
        int port = start("selector");
        io.eventlet.Hub.run(new SelectorHubProvider(), () -> {
            WebSocket ws = WebSocket.connect(URI.create("ws://127.0.0.1:" + port + "/small"), Duration.ofSeconds(10), null);
            ws.sendText("this is longer than ten bytes");
            assertNull(ws.receive());
            assertEquals(1009, ws.closeCode());
            return null;
        });
        assertEquals("error 1009", events.poll(20, TimeUnit.SECONDS));
    }

    private Socket rawUpgrade(int port) throws IOException {
        return rawUpgrade(port, "/ws");
    }

    /** Opens a raw upgraded connection; returns the socket with the 101 head consumed. */
    private Socket rawUpgrade(int port, String path) throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
        s.setSoTimeout(20_000);
        s.setTcpNoDelay(true);
        s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: t\r\nUpgrade: websocket\r\nConnection: keep-alive, Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        HttpServerTest.Response r = HttpServerTest.read(s.getInputStream(), true);
        assertEquals(101, r.status());
        assertEquals("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", r.header("Sec-WebSocket-Accept"), "RFC 6455's own example");
        return s;
    }

    /** Reads a close frame from the server; returns its code. */
    private static int readClose(InputStream in) throws IOException {
        int b0 = in.read();
        int len = in.read();
        assertEquals(0x88, b0, "a final close frame");
        assertEquals(0, len & 0x80, "servers do not mask");
        byte[] body = in.readNBytes(len & 0x7F);
        return ((body[0] & 0xff) << 8) | (body[1] & 0xff);
    }

    @Test
    void anUnmaskedClientFrameCloses1002() throws Exception {
        int port = start("selector");
        try (Socket s = rawUpgrade(port)) {
            OutputStream out = s.getOutputStream();
            out.write(new byte[] {(byte) 0x81, 0x02, 'h', 'i'});   // text, not masked
            assertEquals(1002, readClose(s.getInputStream()));
        }
        assertEquals("error 1002", events.poll(20, TimeUnit.SECONDS));
    }

    @Test
    void invalidUtf8InTextCloses1007() throws Exception {
        int port = start("selector");
        try (Socket s = rawUpgrade(port)) {
            byte[] mask = {1, 2, 3, 4};
            byte[] payload = {(byte) 0xC3, 0x28};
            s.getOutputStream().write(new byte[] {(byte) 0x81, (byte) 0x82, mask[0], mask[1], mask[2], mask[3],
                    (byte) (payload[0] ^ mask[0]), (byte) (payload[1] ^ mask[1])});
            assertEquals(1007, readClose(s.getInputStream()));
        }
        assertEquals("error 1007", events.poll(20, TimeUnit.SECONDS));
    }

    @Test
    void aRequestThatIsNotAnUpgradeGets400Or426() throws Exception {
        int port = start("selector");
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(20_000);
            s.getOutputStream().write("GET /ws HTTP/1.1\r\nHost: t\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            assertEquals(400, HttpServerTest.read(s.getInputStream(), false).status());
            s.getOutputStream().write(("GET /ws HTTP/1.1\r\nHost: t\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 8\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            HttpServerTest.Response r = HttpServerTest.read(s.getInputStream(), false);
            assertEquals(426, r.status());
            assertEquals("13", r.header("Sec-WebSocket-Version"));
        }
    }

    /** Node's `ws` package, installed into target/node on first use from the npm registry. */
    static Path nodeWs() throws Exception {
        Path dir = Path.of("target", "node").toAbsolutePath();
        if (!Files.isDirectory(dir.resolve("node_modules").resolve("ws"))) {
            Files.createDirectories(dir);
            Files.copy(Path.of("src", "test", "node", "package.json"), dir.resolve("package.json"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Process p = new ProcessBuilder("npm", "install", "--no-audit", "--no-fund").directory(dir.toFile()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(300, TimeUnit.SECONDS) && p.exitValue() == 0, "npm install ws failed (the npm registry is needed once): " + out);
        }
        Files.copy(Path.of("src", "test", "node", "ws-client.mjs"), dir.resolve("ws-client.mjs"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return dir;
    }

    @ParameterizedTest
    @ValueSource(strings = {"selector", "epoll", "poll"})
    void nodeWsEchoesFragmentsPingsAndCloses(String hub) throws Exception {
        Path dir = nodeWs();
        int port = start(hub);
        Process p = new ProcessBuilder("node", "ws-client.mjs", "ws://127.0.0.1:" + port + "/ws").directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        assertEquals(List.of("text false héllo", "binary true 010203ff", "fragmented false fragmented", "pong p1", "closed 4000 bye"),
                out.strip().lines().toList());
        assertEquals("close 4000 bye", events.poll(20, TimeUnit.SECONDS));
    }

    // ---- hostile clients (issue 11): raw bytes over a real socket, on every hub ----------------

    /** A frame from the server (never masked): its first byte and payload. */
    record Frame(int b0, byte[] payload) {
        int code() {
            return ((payload[0] & 0xff) << 8) | (payload[1] & 0xff);
        }
    }

    static Frame readFrame(InputStream in) throws IOException {
        int b0 = in.read();
        int b1 = in.read();
        if (b0 < 0 || b1 < 0) {
            throw new java.io.EOFException("no frame: the server closed the connection");
        }
        assertEquals(0, b1 & 0x80, "servers do not mask");
        long len = b1 & 0x7F;
        if (len == 126) {
            len = ((in.read() & 0xff) << 8) | (in.read() & 0xff);
        } else if (len == 127) {
            len = 0;
            for (int i = 0; i < 8; i++) {
                len = (len << 8) | (in.read() & 0xff);
            }
        }
        byte[] p = in.readNBytes((int) len);
        assertEquals(len, p.length);
        return new Frame(b0, p);
    }

    /** A masked 14-byte header (64-bit length) claiming {@code len} bytes of a binary message. */
    static byte[] claim(long len) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(14);
        b.put((byte) 0x82).put((byte) (0x80 | 127)).putLong(len).put(new byte[] {1, 2, 3, 4});
        return b.array();
    }

    /** A line of an HTTP head, without its CRLF. */
    private static String headLine(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        for (int c; (c = in.read()) != '\n'; ) {
            if (c < 0) {
                throw new java.io.EOFException("the head ended early");
            }
            if (c != '\r') {
                b.append((char) c);
            }
        }
        return b.toString();
    }

    private static long usedHeapAfterGc() {
        java.lang.management.MemoryMXBean m = java.lang.management.ManagementFactory.getMemoryMXBean();
        System.gc();
        System.gc();
        return m.getHeapMemoryUsage().getUsed();
    }

    @ParameterizedTest
    @ValueSource(strings = {"selector", "epoll", "poll"})
    void aHundredHeadersClaiming16MiBCostTheServerNextToNoHeap(String hub) throws Exception {
        int port = start(hub);
        int n = 100;
        try (Socket warm = rawUpgrade(port, "/big")) {   // loads the classes of the path measured
            warm.getOutputStream().write(claim(16 * 1024 * 1024 - 1));
            assertTrue(headersRead.tryAcquire(20, TimeUnit.SECONDS));
        }
        long before = usedHeapAfterGc();
        List<Socket> sockets = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                Socket s = rawUpgrade(port, "/big");
                sockets.add(s);
                s.getOutputStream().write(claim(16 * 1024 * 1024 - 1));   // and not a byte of the payload
            }
            assertTrue(headersRead.tryAcquire(n, 30, TimeUnit.SECONDS), "the server accepted all " + n + " headers");
            long after = usedHeapAfterGc();
            long grown = after - before;
            System.out.printf("[%s] heap used before %,d after %,d: %,d bytes for %d connections (%,d each)%n",
                    hub, before, after, grown, n, grown / n);
            // One claim allocated would be 16 MiB; a connection's own buffers are about 20 KiB.
            assertTrue(grown < n * 64L * 1024, "the heap grew by " + grown + " bytes for " + n + " claims of 16 MiB");
        } finally {
            for (Socket s : sockets) {
                s.close();
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"selector", "epoll", "poll"})
    void theDefaultLimitIs1MiBAndAClaimOverItIs1009WithThePayloadUnsent(String hub) throws Exception {
        int port = start(hub);
        try (Socket s = rawUpgrade(port)) {
            byte[] payload = new byte[1024 * 1024];
            for (int i = 0; i < payload.length; i++) {
                payload[i] = (byte) (i ^ (i >> 8));
            }
            byte[] mask = {1, 2, 3, 4};
            byte[] masked = payload.clone();
            for (int i = 0; i < masked.length; i++) {
                masked[i] ^= mask[i & 3];
            }
            s.getOutputStream().write(claim(payload.length));
            s.getOutputStream().write(masked);
            Frame echo = readFrame(s.getInputStream());
            assertEquals(0x82, echo.b0());
            assertArrayEquals(payload, echo.payload(), "exactly 1 MiB is within the default");
        }
        try (Socket s = rawUpgrade(port)) {
            s.getOutputStream().write(claim(1024 * 1024 + 1));   // the header alone
            Frame close = readFrame(s.getInputStream());
            assertEquals(0x88, close.b0());
            assertEquals(1009, close.code());
        }
        // The first connection's end (1006) and the second's violation, in whichever order.
        List<String> seen = List.of(events.poll(20, TimeUnit.SECONDS), events.poll(20, TimeUnit.SECONDS));
        assertTrue(seen.contains("error 1009") && seen.contains("close 1006 null"), seen.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"selector", "epoll", "poll"})
    void aSilentClientIsPingedThenClosed1001(String hub) throws Exception {
        int port = start(hub);
        try (Socket s = rawUpgrade(port, "/idle")) {
            long t0 = System.nanoTime();
            Frame ping = readFrame(s.getInputStream());
            long pingAt = System.nanoTime();
            assertEquals(0x89, ping.b0(), "a ping");
            assertTrue(pingAt - t0 >= PING.toNanos() - TimeUnit.MILLISECONDS.toNanos(50), "not before the ping interval");
            Frame close = readFrame(s.getInputStream());
            assertEquals(0x88, close.b0(), "then a close frame");
            assertEquals(1001, close.code());
            // From t0, not from our reading of the ping: that may come late, the server's clock does not wait for it.
            long closedAfter = System.nanoTime() - t0;
            assertTrue(closedAfter >= PING.plus(IDLE).toNanos() - TimeUnit.MILLISECONDS.toNanos(50),
                    "not before ping interval + idle timeout: " + TimeUnit.NANOSECONDS.toMillis(closedAfter) + " ms");
            assertEquals(-1, s.getInputStream().read(), "and the connection closed");
        }
        assertEquals("error 1001", events.poll(20, TimeUnit.SECONDS));
    }

    @ParameterizedTest
    @ValueSource(strings = {"selector", "epoll", "poll"})
    void aClientThatAnswersPingsStaysConnected(String hub) throws Exception {
        int port = start(hub);
        try (Socket s = rawUpgrade(port, "/idle")) {
            long t0 = System.nanoTime();
            for (int i = 0; i < 4; i++) {   // 4 x 200 ms: well past ping + idle (500 ms) of silence but for pongs
                Frame ping = readFrame(s.getInputStream());
                assertEquals(0x89, ping.b0(), "ping " + i + " (a close instead means the pong did not reset the clock)");
                s.getOutputStream().write(FrameDecoderTest.frame(0x8A, ping.payload()));
            }
            assertTrue(System.nanoTime() - t0 > PING.plus(IDLE).toNanos());
            s.getOutputStream().write(FrameDecoderTest.frame(0x81, "still here"));
            Frame echo = readFrame(s.getInputStream());
            assertEquals(0x81, echo.b0());
            assertEquals("still here", new String(echo.payload(), StandardCharsets.UTF_8));
            assertNull(events.peek(), "the server saw no error");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"selector", "epoll", "poll"})
    void aGreenClientPingsASilentServerThenCloses1001(String hub) throws Exception {
        try (java.net.ServerSocket listener = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            LinkedBlockingQueue<Object> seen = new LinkedBlockingQueue<>();
            Thread server = Thread.ofPlatform().start(() -> {
                try (Socket s = listener.accept()) {
                    s.setSoTimeout(20_000);
                    InputStream in = s.getInputStream();
                    String key = null;
                    for (String line; !(line = headLine(in)).isEmpty(); ) {
                        if (line.regionMatches(true, 0, "Sec-WebSocket-Key:", 0, 18)) {
                            key = line.substring(18).strip();
                        }
                    }
                    s.getOutputStream().write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                            + "Sec-WebSocket-Accept: " + WebSocket.acceptValue(key) + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                    // Then silence: the client's frames are masked, FrameDecoder as a server reads them.
                    FrameDecoder d = new FrameDecoder(in, false, 1000);
                    seen.add(d.next());
                    seen.add(d.next());
                } catch (Throwable e) {
                    seen.add(e);
                }
            });
            io.eventlet.Hub.run(io.eventlet.Hub.provider(hub), () -> {
                WebSocket ws = WebSocket.connect(URI.create("ws://127.0.0.1:" + listener.getLocalPort() + "/"), Duration.ofSeconds(10), null);
                ws.pingInterval(PING).idleTimeout(IDLE);
                WebSocketException e = org.junit.jupiter.api.Assertions.assertThrows(WebSocketException.class, ws::receive);
                assertEquals(1001, e.code());
                assertEquals(1001, ws.closeCode());
                return null;
            });
            assertInstanceOf(FrameDecoder.Ping.class, seen.poll(20, TimeUnit.SECONDS));
            assertEquals(1001, assertInstanceOf(FrameDecoder.Close.class, seen.poll(20, TimeUnit.SECONDS)).code());
            server.join(20_000);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"selector", "epoll", "poll"})
    void aPayloadDrippedInPiecesIsReassembled(String hub) throws Exception {
        int port = start(hub);
        StringBuilder text = new StringBuilder();
        for (int i = 0; text.length() < 40_000; i++) {
            text.append("frame ").append(i).append(" ü ");
        }
        byte[] f = FrameDecoderTest.concat(FrameDecoderTest.frame(0x01, text.substring(0, 20_000)),
                FrameDecoderTest.frame(0x89, "mid"), FrameDecoderTest.frame(0x80, text.substring(20_000)));
        try (Socket s = rawUpgrade(port)) {
            OutputStream out = s.getOutputStream();
            for (int off = 0; off < f.length; off += 7) {   // 7 bytes a write: headers and masks split too
                out.write(f, off, Math.min(7, f.length - off));
                out.flush();
            }
            Frame pong = readFrame(s.getInputStream());
            assertEquals(0x8A, pong.b0());
            assertEquals("mid", new String(pong.payload(), StandardCharsets.UTF_8));
            Frame echo = readFrame(s.getInputStream());
            assertEquals(0x81, echo.b0());
            assertEquals(text.toString(), new String(echo.payload(), StandardCharsets.UTF_8));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"selector", "epoll", "poll"})
    void aPeerThatKeepsSendingCannotStretchTheCloseHandshake(String hub) throws Exception {
        int port = start(hub);
        try (Socket s = rawUpgrade(port, "/closing")) {
            OutputStream out = s.getOutputStream();
            out.write(FrameDecoderTest.frame(0x81, "go"));
            Frame close = readFrame(s.getInputStream());
            assertEquals(0x88, close.b0());
            assertEquals(1000, close.code());
            // Instead of its close frame, a message that never ends: a byte every 20 ms (pacing,
            // not synchronisation). Each read returns promptly, so only a deadline ends the wait.
            out.write(claim(1024 * 512));
            String event = null;
            long t0 = System.nanoTime();
            try {
                while ((event = events.poll(20, TimeUnit.MILLISECONDS)) == null && System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(10)) {
                    out.write(0);
                    out.flush();
                }
            } catch (IOException e) {
                event = events.poll(20, TimeUnit.SECONDS);   // the server closed while we wrote
            }
            assertTrue(event != null && event.startsWith("closed after "), "close() returned: " + event);
            long ms = Long.parseLong(event.split(" ")[2]);
            assertTrue(ms >= 250 && ms < 3000, "close() took " + ms + " ms with a 300 ms close timeout");
        }
    }
}
