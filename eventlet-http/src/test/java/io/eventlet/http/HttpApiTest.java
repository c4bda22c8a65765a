package io.eventlet.http;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The handler-facing API: headers, request accessors, response rules, builder checks. */
class HttpApiTest {
    @Test
    void headersCompareNamesWithoutCaseAndRefuseInjection() {
        HttpHeaders h = new HttpHeaders();
        h.add("Accept", "a").add("accept", "b").add("Connection", "keep-alive, Upgrade");
        assertEquals("a", h.first("ACCEPT"));
        assertEquals(List.of("a", "b"), h.all("Accept"));
        assertTrue(h.hasToken("connection", "upgrade"));
        assertFalse(h.hasToken("connection", "close"));
        h.set("Accept", "c");
        assertEquals(List.of("c"), h.all("accept"));
        h.remove("accept");
        assertFalse(h.contains("Accept"));
        assertEquals(1, h.size());
        assertEquals("Connection: keep-alive, Upgrade\n", h.toString());
        assertThrows(IllegalArgumentException.class, () -> h.add("X", "a\r\nSet-Cookie: evil"));
        assertThrows(IllegalArgumentException.class, () -> h.add("Bad Name", "v"));
        assertThrows(IllegalArgumentException.class, () -> h.add("", "v"));
        assertThrows(NullPointerException.class, () -> h.add("X", null));
    }

    @Test
    void theBuilderRefusesNonsense() {
        HttpServer.Builder b = HttpServer.builder((req, resp) -> resp.send("x"));
        assertThrows(IllegalArgumentException.class, () -> b.idleTimeout(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> b.requestTimeout(Duration.ofSeconds(-1)));
        assertThrows(IllegalArgumentException.class, () -> b.maxBodySize(-1));
        assertThrows(IllegalArgumentException.class, () -> b.maxConnections(0));
        assertThrows(NullPointerException.class, () -> HttpServer.builder(null));
        assertEquals("Content Too Large", HttpResponse.reason(413));
        assertEquals("Status 299", HttpResponse.reason(299));
    }

    @Test
    void requestAccessorsAndResponseRules() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        HttpServer server = HttpServer.builder((req, resp) -> {
            seen.add(req.method() + "|" + req.path() + "|" + req.query() + "|" + req.version() + "|" + req.header("x-a")
                    + "|" + req.bodyText() + "|" + (req.remoteAddress() != null) + "|" + req);
            assertThrows(IllegalArgumentException.class, () -> resp.status(42));
            resp.status(201).header("X-Out", "1");
            OutputStream body = resp.body();
            body.flush();                       // the head goes out now
            assertTrue(resp.committed());
            assertThrows(IllegalStateException.class, () -> resp.header("X-Late", "no"));
            assertThrows(IllegalStateException.class, () -> resp.send("no"));
            body.write('o');
            body.write("k".getBytes(StandardCharsets.US_ASCII));
            body.close();
            assertThrows(IOException.class, () -> body.write('x'));
            seen.add("status " + resp.status() + " " + resp.headers().first("X-Out"));
        }).requestTimeout(Duration.ofSeconds(5)).maxConnections(10).start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.address().getPort())) {
            s.setSoTimeout(20_000);
            byte[] body = "grüße".getBytes(StandardCharsets.ISO_8859_1);
            s.getOutputStream().write(("PUT /p/q?a=1&b=2 HTTP/1.1\r\nHost: t\r\nX-A: v\r\nContent-Type: text/plain; charset=ISO-8859-1\r\n"
                    + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().write(body);
            HttpServerTest.Response r = HttpServerTest.read(s.getInputStream(), false);
            assertEquals(201, r.status());
            assertEquals("ok", r.body());
            assertEquals("1", r.header("X-Out"));
            assertNull(r.header("Content-Length"));
            assertTrue(server.hub() != null);
        } finally {
            server.close();
        }
        assertEquals("PUT|/p/q|a=1&b=2|HTTP/1.1|v|grüße|true|PUT /p/q?a=1&b=2 HTTP/1.1", seen.get(0));
        assertEquals("status 201 1", seen.get(1));
    }
}
