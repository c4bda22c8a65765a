package io.eventlet.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
        if (req.path().equals("/small")) {
            ws.maxMessageSize(10);
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
        }
    }

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

    /** Opens a raw upgraded connection; returns the socket with the 101 head consumed. */
    private Socket rawUpgrade(int port) throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
        s.setSoTimeout(20_000);
        s.getOutputStream().write(("GET /ws HTTP/1.1\r\nHost: t\r\nUpgrade: websocket\r\nConnection: keep-alive, Upgrade\r\n"
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
}
