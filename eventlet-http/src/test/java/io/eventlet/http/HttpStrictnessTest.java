package io.eventlet.http;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * RFC 9110/9112's grammar as the server enforces it, from the outside (raw bytes over a real
 * socket), on every hub: control bytes are never whitespace, NUL and bare CR are refused
 * everywhere, Host is checked, absolute-form targets are served, later 1.x minor versions are
 * answered as 1.1, and the Date header is an IMF-fixdate.
 */
class HttpStrictnessTest {
    private HttpServer server;

    @AfterEach
    void stop() throws IOException {
        if (server != null) {
            server.close();
        }
    }

    /** Answers with what the server understood of the request. */
    static void describe(HttpRequest req, HttpResponse resp) throws IOException {
        byte[] body = req.bodyBytes();
        String header = req.header("X-Value");
        if ("inject".equals(req.query())) {
            resp.header("X-Bad", "a\u010db");   // U+010D would reach the wire as CR: must be refused
        }
        resp.send("path=" + req.path() + " query=" + req.query() + " authority=" + req.authority() + " version=" + req.version()
                + " value=" + header + " body=" + new String(body, StandardCharsets.ISO_8859_1) + "\n");
    }

    private int start(String hub) throws IOException {
        server = HttpServer.builder(HttpStrictnessTest::describe).hub(hub).start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        return server.address().getPort();
    }

    private static HttpServerTest.Response exchange(int port, String raw) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(20_000);
            OutputStream out = s.getOutputStream();
            out.write(raw.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            HttpServerTest.Response r = HttpServerTest.read(s.getInputStream(), false);
            assertNotNull(r, "no response to " + printable(raw));
            if (r.status() >= 400) {
                assertEquals("close", r.header("Connection"), printable(raw));
                assertEquals(-1, s.getInputStream().read(), "closed after " + printable(raw));
            }
            return r;
        }
    }

    private static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            b.append(c < 32 || c > 126 ? String.format("\\x%02x", (int) c) : String.valueOf(c));
        }
        return b.toString();
    }

    @ParameterizedTest
    @ValueSource(strings = {"selector", "epoll", "poll"})
    void malformedRequestsGetTheRfcsAnswerAndAClose(String hub) throws IOException {
        int port = start(hub);
        String post = "POST /echo HTTP/1.1\r\nHost: t\r\n";
        Map<String, Integer> cases = new LinkedHashMap<>();
        // control bytes are not whitespace (smuggling through a proxy that reads them otherwise)
        cases.put(post + "Transfer-Encoding: \u000bchunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n", 400);
        cases.put(post + "Content-Length: \u000b5\r\n\r\nhello", 400);
        cases.put(post + "Content-Length: 5\u000b\r\n\r\nhello", 400);
        cases.put(post + "Transfer-Encoding: chunked\r\n\r\n5\u000b\r\nhello\r\n0\r\n\r\n", 400);
        cases.put(post + "Transfer-Encoding: chunked\r\n\r\n5 \r\nhello\r\n0\r\n\r\n", 400);
        cases.put(post + "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\n0\r\n\r\n", 400);   // bare LF in the chunked framing
        cases.put(post + "Transfer-Encoding: chunked\r\n\r\n5;a=\"b\r\nhello\r\n0\r\n\r\n", 400);   // unterminated quoted extension
        cases.put(post + "Content-Length: +5\r\n\r\nhello", 400);
        cases.put(post + "Content-Length: -1\r\n\r\n", 400);
        cases.put(post + "Content-Length: 5, 6\r\n\r\nhello", 400);
        // Transfer-Encoding: chunked last, once
        cases.put(post + "Transfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n", 400);
        cases.put(post + "Transfer-Encoding: chunked, chunked\r\n\r\n0\r\n\r\n", 400);
        cases.put(post + "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400);
        // NUL, CTLs and bare CR
        cases.put("GET / HTTP/1.1\r\nHost: t\r\nX-Value: a\u0000b\r\n\r\n", 400);
        cases.put("GET / HTTP/1.1\r\nHost: t\r\nX-Value: a\u001bb\r\n\r\n", 400);
        cases.put("GET / HTTP/1.1\r\nHost: t\r\nX-Value: a\u007fb\r\n\r\n", 400);
        cases.put("GET / HTTP/1.1\r\nHost: t\r\nX-Value: a\rb\r\n\r\n", 400);
        cases.put("GET /a\u0000b HTTP/1.1\r\nHost: t\r\n\r\n", 400);
        cases.put("GET /a\u001b[31m HTTP/1.1\r\nHost: t\r\n\r\n", 400);
        cases.put("GET /a\rb HTTP/1.1\r\nHost: t\r\n\r\n", 400);
        cases.put("GET /a\u00e9 HTTP/1.1\r\nHost: t\r\n\r\n", 400);
        cases.put("GET /a%zz HTTP/1.1\r\nHost: t\r\n\r\n", 400);
        cases.put("GET /a#frag HTTP/1.1\r\nHost: t\r\n\r\n", 400);
        cases.put("GET / HTTP/1.1\r\nHost : t\r\n\r\n", 400);   // whitespace before the colon
        cases.put("GET  / HTTP/1.1\r\nHost: t\r\n\r\n", 400);
        cases.put("GET / HTTP/1.1 \r\nHost: t\r\n\r\n", 400);
        cases.put("GET / http/1.1\r\nHost: t\r\n\r\n", 400);
        cases.put("GET / HTTP/1.10\r\nHost: t\r\n\r\n", 400);
        cases.put("G(T / HTTP/1.1\r\nHost: t\r\n\r\n", 400);
        // Host: exactly one, and valid
        cases.put("GET / HTTP/1.1\r\n\r\n", 400);
        cases.put("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400);
        cases.put("GET / HTTP/1.1\r\nHost: a b\r\n\r\n", 400);
        cases.put("GET / HTTP/1.1\r\nHost: user@a\r\n\r\n", 400);
        cases.put("GET / HTTP/1.1\r\nHost: a:99999\r\n\r\n", 400);
        cases.put("GET / HTTP/1.1\r\nHost: a:1x\r\n\r\n", 400);
        cases.put("GET / HTTP/1.1\r\nHost: [::1\r\n\r\n", 400);
        cases.put("GET / HTTP/1.1\r\nHost: a/b\r\n\r\n", 400);
        cases.put("GET http://user@a/ HTTP/1.1\r\nHost: a\r\n\r\n", 400);
        cases.put("GET ftp://a/ HTTP/1.1\r\nHost: a\r\n\r\n", 400);
        cases.put("GET * HTTP/1.1\r\nHost: a\r\n\r\n", 400);
        // versions
        cases.put("GET / HTTP/2.0\r\nHost: t\r\n\r\n", 505);
        cases.put("GET / HTTP/0.9\r\nHost: t\r\n\r\n", 505);
        // over the field count
        StringBuilder many = new StringBuilder("GET / HTTP/1.1\r\nHost: t\r\n");
        for (int i = 0; i < 101; i++) {
            many.append("X-").append(i).append(": v\r\n");
        }
        cases.put(many + "\r\n", 431);
        for (var c : cases.entrySet()) {
            assertEquals(c.getValue(), exchange(port, c.getKey()).status(), printable(c.getKey()));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"selector", "epoll", "poll"})
    void wellFormedEdgesAreServed(String hub) throws IOException {
        int port = start(hub);
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("GET http://example.org:8080/a/b?x=1 HTTP/1.1\r\nHost: ignored\r\n\r\n",
                "path=/a/b query=x=1 authority=example.org:8080 version=HTTP/1.1");
        cases.put("GET HTTPS://example.org HTTP/1.1\r\nHost: example.org\r\n\r\n", "path=/ query=null authority=example.org");
        cases.put("GET /p?q HTTP/1.2\r\nHost: h\r\n\r\n", "path=/p query=q authority=h version=HTTP/1.1");
        cases.put("GET / HTTP/1.0\r\n\r\n", "authority=null version=HTTP/1.0");
        cases.put("GET / HTTP/1.1\r\nHost:\r\n\r\n", "authority=null");
        cases.put("GET / HTTP/1.1\r\nHost: [::1]:80\r\n\r\n", "authority=[::1]:80");
        cases.put("GET / HTTP/1.1\nHost: h\nX-Value: \t a b \t\n\n", "value=a b");   // bare LF in the head; OWS trimmed, inner kept
        cases.put("GET / HTTP/1.1\r\nHost: h\r\nX-Value: caf\u00e9\r\n\r\n", "value=caf\u00e9");   // obs-text
        cases.put("\r\n\r\nGET /%41 HTTP/1.1\r\nHost: h\r\n\r\n", "path=/%41");   // empty lines before a request
        cases.put("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 5, 5\r\n\r\nhello", "body=hello");
        cases.put("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: Chunked\r\n\r\n5 ;ext=1;q=\"a b\"\r\nhello\r\n0\r\nX-Trailer: t\r\n\r\n",
                "body=hello");
        cases.put("OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n", "path=* query=null");
        for (var c : cases.entrySet()) {
            HttpServerTest.Response r = exchange(port, c.getKey());
            assertEquals(200, r.status(), printable(c.getKey()) + " -> " + r.body());
            assertTrue(r.body().contains(c.getValue()), printable(c.getKey()) + " -> " + r.body());
        }
    }

    @Test
    void aHeaderValueThatCannotBeWrittenAsIsGets500NotACorruptHead() throws IOException {
        int port = start("selector");
        HttpServerTest.Response r = exchange(port, "GET /?inject HTTP/1.1\r\nHost: h\r\n\r\n");
        assertEquals(500, r.status());
        assertEquals(null, r.header("X-Bad"));
    }

    @Test
    void theDateHeaderIsAnImfFixdate() throws IOException {
        int port = start("selector");
        HttpServerTest.Response r = exchange(port, "GET / HTTP/1.1\r\nHost: h\r\n\r\n");
        String date = r.header("Date");
        assertTrue(date.matches("(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \\d\\d (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \\d{4} \\d\\d:\\d\\d:\\d\\d GMT"),
                date);
        Instant sent = ZonedDateTime.parse(date, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        assertTrue(Math.abs(sent.getEpochSecond() - Instant.now().getEpochSecond()) < 60, date);
    }

    @Test
    void imfFixdateHasATwoDigitDayAndTheRightWeekday() {
        assertEquals("Sun, 06 Nov 1994 08:49:37 GMT", io.eventlet.http.internal.Http1.imfFixdate(784111777L));
        assertEquals("Tue, 01 Dec 2026 00:00:00 GMT", io.eventlet.http.internal.Http1.imfFixdate(1796083200L));
        assertEquals("Thu, 01 Jan 1970 00:00:00 GMT", io.eventlet.http.internal.Http1.imfFixdate(0));
        assertEquals("Wed, 31 Dec 1969 23:59:59 GMT", io.eventlet.http.internal.Http1.imfFixdate(-1));
    }

    @ParameterizedTest
    @ValueSource(strings = {"selector", "epoll", "poll"})
    void aBodyThatFailedIsNeverReadOnSoNothingHidesInIt(String hub) throws IOException {
        java.util.List<String> served = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        server = HttpServer.builder((req, resp) -> {
            served.add(req.path());
            try {
                req.bodyBytes();
                resp.send("read\n");
            } catch (IOException e) {
                resp.status(413).send("too big, said the handler\n");   // catches and answers: a common pattern
            }
        }).hub(hub).maxBodySize(1024 * 1024).start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        int port = server.address().getPort();
        String[] attacks = {
            "A00001\r\n0\r\n\r\n",        // a chunk over the limit, then what looks like the last chunk
            "5\r\nhelloX0\r\n\r\n",          // data not followed by CRLF
            "Z\r\n0\r\n\r\n",               // a bad size line
        };
        for (String body : attacks) {
            served.clear();
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                s.setSoTimeout(20_000);
                s.getOutputStream().write(("POST /upload HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n" + body
                        + "GET /admin HTTP/1.1\r\nHost: h\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                HttpServerTest.Response r = HttpServerTest.read(s.getInputStream(), false);
                assertEquals(413, r.status(), printable(body));
                assertEquals("close", r.header("Connection"), "the connection cannot carry another request: " + printable(body));
                assertEquals(null, HttpServerTest.read(s.getInputStream(), false), "nothing more is answered: " + printable(body));
            }
            assertEquals(java.util.List.of("/upload"), served, "the bytes after a broken body are never a request: " + printable(body));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"selector", "epoll", "poll"})
    void longChunkExtensionsOnTinyChunksAreRefused(String hub) throws IOException {
        int port = start(hub);
        String ext = ";" + "e".repeat(3000) + "=v";
        String chunks = ("1" + ext + "\r\nx\r\n").repeat(40);   // 120 KB of framing for 40 bytes of data
        assertEquals(400, exchange(port, "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n" + chunks + "0\r\n\r\n").status());
        String plain = "1\r\nx\r\n".repeat(5000);   // one-byte chunks without extensions: 5 bytes of framing each, allowed
        HttpServerTest.Response r = exchange(port, "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n" + plain + "0\r\n\r\n");
        assertEquals(200, r.status(), r.body());
    }

    @ParameterizedTest
    @ValueSource(strings = {"selector", "epoll", "poll"})
    void noContinueLandsInsideAnAnswerThatHasBegun(String hub) throws IOException {
        server = HttpServer.builder((req, resp) -> {
            OutputStream o = resp.body();
            o.write("got: ".getBytes(StandardCharsets.US_ASCII));
            o.flush();                              // the answer has begun
            req.body().transferTo(o);               // then the body is read: no 100 Continue now
        }).hub(hub).start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.address().getPort())) {
            s.setSoTimeout(20_000);
            s.getOutputStream().write("POST / HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n"
                    .getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().write("hello".getBytes(StandardCharsets.ISO_8859_1));   // sent after its expect wait, as curl does
            HttpServerTest.Response r = HttpServerTest.read(s.getInputStream(), false);
            assertEquals(200, r.status());
            assertEquals("got: hello", r.body());
        }
    }
}
