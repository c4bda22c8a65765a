package io.eventlet.http.internal;

import io.eventlet.http.HttpException;
import io.eventlet.http.HttpHeaders;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The grammar's pieces, without a socket: each accepts what RFC 9110/9112 allow and refuses the rest with its status. */
class Http1Test {
    private static int status(ThrowingRunnable r) {
        return assertThrows(HttpException.class, r::run).status();
    }

    @FunctionalInterface
    interface ThrowingRunnable {
        void run() throws Exception;
    }

    @Test
    void requestLinesAndTheirTargetForms() throws HttpException {
        Http1.RequestLine o = Http1.parseRequestLine("GET /a/b?c=d&e HTTP/1.1");
        assertEquals(Http1.TargetForm.ORIGIN, o.form());
        assertEquals("/a/b", o.path());
        assertEquals("c=d&e", o.query());
        assertNull(o.authority());
        Http1.RequestLine a = Http1.parseRequestLine("PUT http://h.example:81?x HTTP/1.1");
        assertEquals(Http1.TargetForm.ABSOLUTE, a.form());
        assertEquals("/", a.path());
        assertEquals("x", a.query());
        assertEquals("h.example:81", a.authority());
        Http1.RequestLine c = Http1.parseRequestLine("CONNECT h.example:443 HTTP/1.1");
        assertEquals(Http1.TargetForm.AUTHORITY, c.form());
        assertEquals("h.example:443", c.authority());
        assertEquals(400, status(() -> Http1.parseRequestLine("CONNECT h.example HTTP/1.1")));
        assertFalse(Http1.parseRequestLine("GET / HTTP/1.0").http11());
        assertTrue(Http1.parseRequestLine("GET / HTTP/1.9").http11());
        assertEquals(505, status(() -> Http1.parseRequestLine("GET / HTTP/3.0")));
    }

    @Test
    void statusLines() throws HttpException {
        assertEquals(new Http1.StatusLine(true, 204, ""), Http1.parseStatusLine("HTTP/1.1 204", 502));
        assertEquals(new Http1.StatusLine(true, 200, ""), Http1.parseStatusLine("HTTP/1.1 200 ", 502));
        assertEquals(new Http1.StatusLine(false, 404, "Not Found"), Http1.parseStatusLine("HTTP/1.0 404 Not Found", 502));
        assertEquals(new Http1.StatusLine(true, 200, "caf\u00e9\tok"), Http1.parseStatusLine("HTTP/1.1 200 caf\u00e9\tok", 502));
        for (String bad : List.of("HTTP/1.1 099 x", "HTTP/1.1  200 OK", "HTTP/1.1 200OK", "HTTP/1.1 2x0 OK", "http/1.1 200 OK",
                "HTTP/1.1 200 a\u0001b")) {
            assertEquals(502, status(() -> Http1.parseStatusLine(bad, 502)), bad);
        }
    }

    @Test
    void contentLengthIsDigitsOnlyAndListsMustAgree() throws HttpException {
        assertEquals(5, Http1.contentLength(List.of("5"), 400, 413));
        assertEquals(5, Http1.contentLength(List.of("5, 5", " 05 "), 400, 413));
        assertEquals(0, Http1.contentLength(List.of("000"), 400, 413));
        assertEquals(999_999_999_999_999_999L, Http1.contentLength(List.of("999999999999999999"), 400, 413));
        assertEquals(413, status(() -> Http1.contentLength(List.of("9999999999999999999"), 400, 413)));
        for (String bad : List.of("", "5,", ",5", "5 6", "0x5", "5.0", "+5", "-5", "5\u000b", "\u00a05")) {
            assertEquals(400, status(() -> Http1.contentLength(List.of(bad), 400, 413)), bad);
        }
        assertEquals(400, status(() -> Http1.contentLength(List.of("5", "6"), 400, 413)));
    }

    @Test
    void chunkSizeLines() throws HttpException {
        assertEquals(0x1aF, Http1.parseChunkSize("1aF", 400, 413));
        assertEquals(5, Http1.parseChunkSize("0005", 400, 413));
        assertEquals(5, Http1.parseChunkSize("5;name", 400, 413));
        assertEquals(5, Http1.parseChunkSize("5 ; name = value ;q=\"a \\\" b\"", 400, 413));
        assertEquals(413, status(() -> Http1.parseChunkSize("1000000000000000", 400, 413)));
        for (String bad : List.of("", " 5", "5 ", "5;", "5;=v", "5;n=", "5;n=\"open", "-5", "0x5", "5\u000b", "5;n=a b", "g")) {
            assertEquals(400, status(() -> Http1.parseChunkSize(bad, 400, 413)), bad);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"example.org", "example.org:8080", "127.0.0.1", "[::1]", "[::1]:443", "a-b.c_d~e", "h%41st", "x:", "!$&'()*+,;="})
    void validAuthorities(String a) {
        assertTrue(Http1.validAuthority(a, false), a);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ":80", "a b", "a@b", "a:65536", "a:123456", "a:8o", "[::1", "[]", "[::1]x", "a/b", "h%4", "h\u00e9"})
    void invalidAuthorities(String a) {
        assertFalse(Http1.validAuthority(a, false), a);
    }

    @Test
    void fieldsAreBoundedByCountAndSize() throws IOException {
        HttpHeaders h = new HttpHeaders();
        Http1.readFields(input("A: 1\r\nB:2\r\nC: \t3 \t\r\n\r\n"), Http1.Limits.SERVER, 0, 400, 431, h::add);
        assertEquals(List.of("1"), h.all("A"));
        assertEquals(List.of("2"), h.all("B"));
        assertEquals(List.of("3"), h.all("C"));
        Http1.Limits tiny = new Http1.Limits(100, 100, 30, 2);
        assertEquals(431, status(() -> Http1.readFields(input("A: 1\r\nB: 2\r\nC: 3\r\n\r\n"), tiny, 0, 400, 431, (n, v) -> { })));
        assertEquals(431, status(() -> Http1.readFields(input("A: " + "x".repeat(40) + "\r\n\r\n"), tiny, 0, 400, 431, (n, v) -> { })));
        assertEquals(400, status(() -> Http1.readFields(input("A: 1\r\n"), tiny, 0, 400, 431, (n, v) -> { })));
    }

    @Test
    void linesEndAtCrlfOrABareLfButNeverAtABareCr() throws IOException {
        HttpInput in = input("a\r\nb\nc\rd\r\n");
        assertEquals("a", in.readLine(100, 414, "line", true));
        assertEquals("b", in.readLine(100, 414, "line", true));
        assertEquals(400, status(() -> in.readLine(100, 414, "line", true)));
        assertEquals(400, status(() -> input("a\nb").readLine(100, 414, "line", false)));
        assertEquals(414, status(() -> input("abcdef\r\n").readLine(5, 414, "line", true)));
        assertEquals("abcde", input("abcde\r\n").readLine(5, 414, "line", true));
    }

    @Test
    void linesSplitAcrossReadsAtEveryByteParseTheSame() throws IOException {
        String text = "GET /x HTTP/1.1\r\nHost: h\r\nA: b\nC\r\nD\rE\r\n";
        // One byte per read: every line, and every CR before its LF, ends a buffer.
        HttpInput in = new HttpInput(new java.io.InputStream() {
            private final byte[] b = text.getBytes(StandardCharsets.ISO_8859_1);
            private int i;

            @Override
            public int read() {
                return i < b.length ? b[i++] & 0xff : -1;
            }

            @Override
            public int read(byte[] dst, int off, int len) {
                if (i >= b.length) {
                    return -1;
                }
                dst[off] = b[i++];
                return 1;
            }
        });
        assertEquals("GET /x HTTP/1.1", in.readLine(100, 414, "line", true));
        assertEquals("Host: h", in.readLine(100, 414, "line", true));
        assertEquals("A: b", in.readLine(100, 414, "line", true));
        assertEquals("C", in.readLine(100, 414, "line", true));
        assertEquals(400, status(() -> in.readLine(100, 414, "line", true)), "bare CR across reads");
    }

    private static HttpInput input(String s) {
        return new HttpInput(new ByteArrayInputStream(s.getBytes(StandardCharsets.ISO_8859_1)));
    }
}
