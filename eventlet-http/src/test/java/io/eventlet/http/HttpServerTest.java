package io.eventlet.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The HTTP/1.1 server over raw sockets: framing, keep-alive, pipelining, chunked bodies, 100-continue,
 * HEAD, the limits and their statuses, smuggling defences, handler failures, idle timeout and
 * graceful shutdown.
 */
class HttpServerTest {
    private HttpServer server;

    @AfterEach
    void stop() throws IOException {
        if (server != null) {
            server.close();
        }
    }

    /** Counted down each time a request enters /slow (tests that must know it is in flight reset it). */
    static volatile CountDownLatch slowEntered = new CountDownLatch(1);

    /** The test handler: /echo returns the body, /stream streams, /fail throws, others say hello. */
    static void handle(HttpRequest req, HttpResponse resp) throws Exception {
        switch (req.path()) {
            case "/echo" -> {
                byte[] body = req.bodyBytes();
                resp.header("X-Length", Integer.toString(body.length)).send(body);
            }
            case "/stream" -> {
                OutputStream out = resp.body();
                for (int i = 0; i < 3; i++) {
                    out.write(("part" + i + "\n").getBytes(StandardCharsets.US_ASCII));
                }
            }
            case "/fail" -> throw new IllegalStateException("expected in this test: handler failure");
            case "/fail-late" -> {
                resp.body().write("partial".getBytes(StandardCharsets.US_ASCII));
                resp.body().flush();
                throw new IllegalStateException("expected in this test: failure after the headers");
            }
            case "/slow" -> {
                slowEntered.countDown();
                io.eventlet.Eventlet.sleep(Duration.ofMillis(200));
                resp.send("slow done\n");
            }
            default -> resp.send("hello " + req.method() + " " + req.target() + "\n");
        }
    }

    private HttpServer start(HttpServer.Builder b) throws IOException {
        server = b.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        return server;
    }

    private HttpServer start() throws IOException {
        return start(HttpServer.builder(HttpServerTest::handle).maxBodySize(1024 * 1024));
    }

    private Socket connect() throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), server.address().getPort());
        s.setSoTimeout(20_000);
        return s;
    }

    /** One parsed response: status, headers (lower-case names, values joined) and body. */
    record Response(int status, Map<String, List<String>> headers, String body) {
        String header(String name) {
            List<String> v = headers.get(name.toLowerCase());
            return v == null ? null : v.get(0);
        }

        int count(String name) {
            List<String> v = headers.get(name.toLowerCase());
            return v == null ? 0 : v.size();
        }
    }

    /** Reads one response off {@code in}; a HEAD response has no body. */
    static Response read(InputStream in, boolean head) throws IOException {
        String status = line(in);
        if (status == null) {
            return null;
        }
        int code = Integer.parseInt(status.split(" ")[1]);
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (String h; !(h = line(in)).isEmpty(); ) {
            int c = h.indexOf(':');
            headers.computeIfAbsent(h.substring(0, c).toLowerCase(), k -> new ArrayList<>()).add(h.substring(c + 1).strip());
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        List<String> te = headers.get("transfer-encoding");
        List<String> cl = headers.get("content-length");
        if (head || code == 100 || code == 204 || code == 304) {
            // no body
        } else if (te != null && te.get(0).equals("chunked")) {
            while (true) {
                int size = Integer.parseInt(line(in), 16);
                if (size == 0) {
                    assertEquals("", line(in));
                    break;
                }
                body.write(in.readNBytes(size));
                assertEquals("", line(in));
            }
        } else if (cl != null) {
            body.write(in.readNBytes(Integer.parseInt(cl.get(0))));
        } else {
            body.write(in.readAllBytes());
        }
        return new Response(code, headers, body.toString(StandardCharsets.UTF_8));
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        for (int c; (c = in.read()) != -1; ) {
            if (c == '\n') {
                int n = b.length();
                return n > 0 && b.charAt(n - 1) == '\r' ? b.substring(0, n - 1) : b.toString();
            }
            b.append((char) c);
        }
        return b.isEmpty() ? null : b.toString();
    }

    private static void send(Socket s, String raw) throws IOException {
        s.getOutputStream().write(raw.getBytes(StandardCharsets.ISO_8859_1));
        s.getOutputStream().flush();
    }

    @Test
    void answersAGetWithOneDateAndOneLengthAndKeepsTheConnection() throws Exception {
        start();
        try (Socket s = connect()) {
            send(s, "GET /a?x=1 HTTP/1.1\r\nHost: t\r\n\r\n");
            Response r = read(s.getInputStream(), false);
            assertEquals(200, r.status);
            assertEquals("hello GET /a?x=1\n", r.body);
            assertEquals(1, r.count("Date"));
            assertEquals(1, r.count("Content-Length"));
            assertEquals("timeout=60", r.header("Keep-Alive"));
            assertNull(r.header("Connection"));
            send(s, "GET /b HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
            Response second = read(s.getInputStream(), false);
            assertEquals("hello GET /b\n", second.body);
            assertEquals("close", second.header("Connection"));
            assertEquals(-1, s.getInputStream().read(), "closed after Connection: close");
        }
    }

    @Test
    void answersPipelinedRequestsInOrder() throws Exception {
        start();
        try (Socket s = connect()) {
            send(s, "GET /1 HTTP/1.1\r\nHost: t\r\n\r\nPOST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\nhelloGET /slow HTTP/1.1\r\nHost: t\r\n\r\n"
                    + "HEAD /4 HTTP/1.1\r\nHost: t\r\n\r\nGET /5 HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
            InputStream in = s.getInputStream();
            assertEquals("hello GET /1\n", read(in, false).body);
            assertEquals("hello", read(in, false).body);
            assertEquals("slow done\n", read(in, false).body);
            Response head = read(in, true);
            assertEquals("14", head.header("Content-Length"), "HEAD carries the length a GET would have");
            assertEquals("hello GET /5\n", read(in, false).body, "HEAD sent no body");
            assertEquals(-1, in.read());
        }
    }

    @Test
    void decodesAChunkedRequestAndStreamsAChunkedResponse() throws Exception {
        start();
        try (Socket s = connect()) {
            send(s, "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nTrailer: x\r\n\r\n");
            Response r = read(s.getInputStream(), false);
            assertEquals("hello world", r.body);
            assertEquals("11", r.header("X-Length"));
            send(s, "GET /stream HTTP/1.1\r\nHost: t\r\n\r\n");
            Response streamed = read(s.getInputStream(), false);
            assertEquals("chunked", streamed.header("Transfer-Encoding"));
            assertEquals("part0\npart1\npart2\n", streamed.body);
        }
    }

    @Test
    void streamsToAnHttp10ClientUntilTheConnectionCloses() throws Exception {
        start();
        try (Socket s = connect()) {
            send(s, "GET /stream HTTP/1.0\r\n\r\n");
            Response r = read(s.getInputStream(), false);
            assertNull(r.header("Transfer-Encoding"), "no chunked to 1.0");
            assertEquals("close", r.header("Connection"));
            assertEquals("part0\npart1\npart2\n", r.body);
        }
        try (Socket s = connect()) {
            send(s, "GET /x HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
            Response r = read(s.getInputStream(), false);
            assertEquals("keep-alive", r.header("Connection"));
            send(s, "GET /y HTTP/1.0\r\n\r\n");
            assertEquals("hello GET /y\n", read(s.getInputStream(), false).body);
        }
    }

    @Test
    void sendsContinueOnlyWhenTheHandlerReadsTheBody() throws Exception {
        start();
        try (Socket s = connect()) {
            send(s, "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n");
            Response cont = read(s.getInputStream(), false);
            assertEquals(100, cont.status);
            send(s, "data");
            assertEquals("data", read(s.getInputStream(), false).body);
        }
        try (Socket s = connect()) {
            send(s, "POST /x HTTP/1.1\r\nHost: t\r\nContent-Length: 4\r\nExpect: something\r\n\r\n");
            assertEquals(417, read(s.getInputStream(), false).status);
        }
    }

    @Test
    void limitsGetTheirStatusAndCloseTheConnection() throws Exception {
        start();
        Map<String, Integer> cases = new LinkedHashMap<>();
        cases.put("GET /" + "a".repeat(9000) + " HTTP/1.1\r\nHost: t\r\n\r\n", 414);
        cases.put("GET / HTTP/1.1\r\nHost: t\r\nX-Big: " + "b".repeat(9000) + "\r\n\r\n", 431);
        StringBuilder many = new StringBuilder("GET / HTTP/1.1\r\nHost: t\r\n");
        for (int i = 0; i < 20; i++) {
            many.append("X-H").append(i).append(": ").append("c".repeat(4000)).append("\r\n");
        }
        cases.put(many + "\r\n", 431);
        cases.put("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 99999999\r\n\r\n", 413);
        cases.put("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 12x\r\n\r\n", 400);
        cases.put("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd", 400);
        cases.put("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400);
        cases.put("POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: gzip\r\n\r\n", 400);   // RFC 9112 §6.3: final coding not chunked
        cases.put("POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", 501);   // framed, but a coding we do not decode
        cases.put("GET / HTTP/1.1\r\n\r\n", 400);
        cases.put("GET / HTTP/2.0\r\nHost: t\r\n\r\n", 505);
        cases.put("GARBAGE\r\n\r\n", 400);
        cases.put("GET / HTTP/1.1\r\nHost: t\r\n folded\r\n\r\n", 400);
        cases.put("POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 400);
        for (var c : cases.entrySet()) {
            try (Socket s = connect()) {
                send(s, c.getKey());
                Response r = read(s.getInputStream(), false);
                String what = c.getKey().substring(0, Math.min(60, c.getKey().length()));
                assertEquals(c.getValue(), r.status, what);
                assertEquals("close", r.header("Connection"), what);
                assertEquals(-1, s.getInputStream().read(), "closed after " + what);
            }
        }
    }

    @Test
    void aChunkedBodyOverTheLimitGets413() throws Exception {
        start(HttpServer.builder(HttpServerTest::handle).maxBodySize(10));
        try (Socket s = connect()) {
            send(s, "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n8\r\n12345678\r\n8\r\n12345678\r\n0\r\n\r\n");
            Response r = read(s.getInputStream(), false);
            assertEquals(413, r.status);
            assertEquals("close", r.header("Connection"));
        }
    }

    @Test
    void aHandlerFailureGets500OrAClosedConnection() throws Exception {
        start();
        try (Socket s = connect()) {
            send(s, "GET /fail HTTP/1.1\r\nHost: t\r\n\r\n");
            Response r = read(s.getInputStream(), false);
            assertEquals(500, r.status);
            assertEquals("close", r.header("Connection"));
            assertEquals(-1, s.getInputStream().read());
        }
        try (Socket s = connect()) {
            send(s, "GET /fail-late HTTP/1.1\r\nHost: t\r\n\r\n");
            InputStream in = s.getInputStream();
            String all = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            assertTrue(all.startsWith("HTTP/1.1 200 OK"), all);
            assertFalse(all.endsWith("0\r\n\r\n"), "no last chunk: the client must see the response broke");
        }
    }

    @Test
    void anIdleKeepAliveConnectionIsClosedAfterTheIdleTimeout() throws Exception {
        start(HttpServer.builder(HttpServerTest::handle).idleTimeout(Duration.ofMillis(200)));
        try (Socket s = connect()) {
            send(s, "GET / HTTP/1.1\r\nHost: t\r\n\r\n");
            Response r = read(s.getInputStream(), false);
            assertEquals("timeout=1", r.header("Keep-Alive"));
            assertEquals(-1, s.getInputStream().read(), "closed by the idle timeout");
        }
    }

    @Test
    void gracefulShutdownFinishesInFlightRequestsAndClosesIdleConnections() throws Exception {
        start();
        try (Socket idle = connect(); Socket busy = connect()) {
            send(idle, "GET / HTTP/1.1\r\nHost: t\r\n\r\n");
            read(idle.getInputStream(), false);
            slowEntered = new CountDownLatch(1);
            send(busy, "GET /slow HTTP/1.1\r\nHost: t\r\n\r\n");
            assertTrue(slowEntered.await(20, TimeUnit.SECONDS), "the /slow request reached its handler");
            CountDownLatch stopped = new CountDownLatch(1);
            boolean[] clean = new boolean[1];
            Thread stopper = Thread.ofPlatform().start(() -> {
                try {
                    clean[0] = server.shutdown(Duration.ofSeconds(10));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                stopped.countDown();
            });
            assertEquals(-1, idle.getInputStream().read(), "the idle connection is closed");
            Response r = read(busy.getInputStream(), false);
            assertEquals("slow done\n", r.body, "the request in flight finishes");
            assertEquals("close", r.header("Connection"));
            assertTrue(stopped.await(20, TimeUnit.SECONDS));
            stopper.join();
            assertTrue(clean[0]);
            assertThrows(IOException.class, this::connect, "no longer accepting");
        }
        server = null;
    }

    private static <T extends Throwable> void assertThrows(Class<T> type, org.junit.jupiter.api.function.Executable e, String message) {
        org.junit.jupiter.api.Assertions.assertThrows(type, e, message);
    }
}
