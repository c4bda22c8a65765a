package io.eventlet.http;

import io.eventlet.Eventlet;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a hostile server controls is bounded in the client, from the outside (a raw server on a
 * platform thread writes the bytes): the buffered body, interim responses, the whole exchange's
 * time, and a malformed Content-Length.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HttpClientLimitsTest {
    /** What the raw server does with one connection after reading the request head. */
    @FunctionalInterface
    interface Script {
        void answer(OutputStream out) throws IOException;
    }

    private ServerSocket listener;
    private Thread serverThread;

    @AfterEach
    void stop() throws Exception {
        if (listener != null) {
            listener.close();
        }
        if (serverThread != null) {
            serverThread.join(10_000);
        }
    }

    /** Serves every connection with {@code script} (one at a time) until closed. */
    private URI serve(Script script) throws IOException {
        listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        serverThread = new Thread(() -> {
            while (!listener.isClosed()) {
                try (Socket s = listener.accept()) {
                    readHead(s.getInputStream());
                    script.answer(s.getOutputStream());
                } catch (IOException e) {
                    // the client went away (as it should, once it refused the response)
                }
            }
        }, "raw-server");
        serverThread.start();
        return URI.create("http://127.0.0.1:" + listener.getLocalPort() + "/");
    }

    private static void readHead(InputStream in) throws IOException {
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        for (int b; matched < 4 && (b = in.read()) >= 0; ) {
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
    }

    private static void write(OutputStream out, String s) throws IOException {
        out.write(s.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    private static HttpException fetchFails(HttpClient client, URI uri) {
        return assertThrows(HttpException.class, () -> {
            try (HttpClient.Response r = client.get(uri)) {
                r.bodyBytes();
            }
        });
    }

    @Test
    void aClaimedTenGigabyteBodyIsRefusedBeforeAnyOfItIsBuffered() throws Exception {
        URI uri = serve(out -> {
            write(out, "HTTP/1.1 200 OK\r\nContent-Length: 10737418240\r\n\r\n");
            byte[] junk = new byte[64 * 1024];
            for (int i = 0; i < 1000; i++) {
                out.write(junk);
            }
        });
        try (HttpClient client = HttpClient.builder().build()) {
            long before = allocated();
            HttpException e = fetchFails(client, uri);
            assertEquals(502, e.status());
            assertTrue(e.getMessage().contains("larger than the limit"), e.getMessage());
            assertTrue(allocated() - before < 8 * 1024 * 1024, "nothing allocated from the claim: " + (allocated() - before));
        }
    }

    @Test
    void anEndlessChunkedBodyIsCutAtTheLimit() throws Exception {
        URI uri = serve(out -> {
            write(out, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
            byte[] chunk = ("4000\r\n" + "z".repeat(0x4000) + "\r\n").getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < 100_000; i++) {   // 1.6 GB if nobody stopped reading
                out.write(chunk);
            }
        });
        try (HttpClient client = HttpClient.builder().maxResponseBodySize(1024 * 1024).build()) {
            HttpException e = fetchFails(client, uri);
            assertEquals(502, e.status());
        }
    }

    @Test
    void aBodyEndingWithTheConnectionIsBoundedToo() throws Exception {
        URI uri = serve(out -> {
            write(out, "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n");
            byte[] junk = new byte[64 * 1024];
            for (int i = 0; i < 1000; i++) {
                out.write(junk);
            }
        });
        try (HttpClient client = HttpClient.builder().maxResponseBodySize(256 * 1024).build()) {
            assertEquals(502, fetchFails(client, uri).status());
        }
    }

    @Test
    void aBodyWithinTheLimitIsReadWhole() throws Exception {
        byte[] body = "b".repeat(100_000).getBytes(StandardCharsets.US_ASCII);
        URI uri = serve(out -> {
            write(out, "HTTP/1.1 200 OK\r\nContent-Length: " + body.length + "\r\n\r\n");
            out.write(body);
        });
        try (HttpClient client = HttpClient.builder().maxResponseBodySize(body.length).build();
             HttpClient.Response r = client.get(uri)) {
            assertArrayEquals(body, r.bodyBytes());
        }
    }

    @Test
    void anEndlessStreamOfInterimResponsesIsRefused() throws Exception {
        URI uri = serve(out -> {
            for (int i = 0; i < 10_000; i++) {
                write(out, "HTTP/1.1 100 Continue\r\n\r\n");
            }
        });
        try (HttpClient client = HttpClient.builder().build()) {
            HttpException e = assertThrows(HttpException.class, () -> client.get(uri).close());
            assertEquals(502, e.status());
            assertTrue(e.getMessage().contains("interim"), e.getMessage());
        }
    }

    @Test
    void aFewInterimResponsesAreSkipped() throws Exception {
        URI uri = serve(out -> write(out, "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n"
                + "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"));
        try (HttpClient client = HttpClient.builder().build(); HttpClient.Response r = client.get(uri)) {
            assertEquals(200, r.status());
            assertEquals("ok", r.bodyText());
        }
    }

    @Test
    void aServerDrippingItsResponseIsCutAtTheRequestTimeout() throws Exception {
        URI uri = serve(out -> {
            write(out, "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n");
            for (int i = 0; i < 1000; i++) {
                out.write('d');
                out.flush();
                try {
                    Thread.sleep(100);   // the attack's rhythm: each byte comes well within the read timeout
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        try (HttpClient client = HttpClient.builder().readTimeout(Duration.ofSeconds(5)).requestTimeout(Duration.ofMillis(1500)).build()) {
            long start = System.nanoTime();
            HttpException e = fetchFails(client, uri);
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertEquals(504, e.status());
            assertTrue(ms >= 1400, "not before the deadline: " + ms);
        }
    }

    @Test
    void aGreenThreadWaitingForASilentServerGets504AtTheRequestTimeoutAndNoRetry() throws Exception {
        int[] requests = {0};
        URI uri = serve(out -> {
            requests[0]++;
            try {
                Thread.sleep(10_000);   // silent: says nothing at all
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try (HttpClient client = HttpClient.builder().readTimeout(Duration.ofSeconds(30)).requestTimeout(Duration.ofMillis(1000)).build()) {
            int status = Eventlet.run(() -> {
                try (HttpClient.Response r = client.get(uri)) {
                    return r.status();
                } catch (HttpException e) {
                    return e.status();
                }
            });
            assertEquals(504, status, "the deadline, not the 30 s read timeout");
            assertEquals(1, requests[0], "a timed-out request is not sent again");
        }
    }

    @Test
    void aTruncatedOrBareCrResponseIsA502NotA400() throws Exception {
        URI uri = serve(out -> write(out, "HTTP/1.1 200 OK\r\nX: a\rb\r\n\r\n"));
        try (HttpClient client = HttpClient.builder().build()) {
            assertEquals(502, assertThrows(HttpException.class, () -> client.get(uri).close()).status());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"Content-Length: -1", "Content-Length: 2\r\nContent-Length: 3", "Content-Length: 2, 3",
            "Content-Length: \u000b2", "Content-Length: 2\r\nTransfer-Encoding: chunked", "Transfer-Encoding: gzip, chunked",
            "X-Bad: a\u0000b", "Bad Header: x"})
    void malformedFramingIsRefused(String header) throws Exception {
        URI uri = serve(out -> write(out, "HTTP/1.1 200 OK\r\n" + header + "\r\n\r\nok"));
        try (HttpClient client = HttpClient.builder().build()) {
            HttpException e = assertThrows(HttpException.class, () -> client.get(uri).close());
            assertEquals(502, e.status());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"HTTP/1.1 2000 OK", "HTTP/1.1 20 OK", "HTTP/2 200 OK", "HTTP/1.1 200 O\u0000K", "ICY 200 OK"})
    void malformedStatusLinesAreRefused(String line) throws Exception {
        URI uri = serve(out -> write(out, line + "\r\nContent-Length: 0\r\n\r\n"));
        try (HttpClient client = HttpClient.builder().build()) {
            assertEquals(502, assertThrows(HttpException.class, () -> client.get(uri).close()).status());
        }
    }

    @Test
    void aGreenThreadClientIsBoundedTheSameWay() throws Exception {
        URI uri = serve(out -> write(out, "HTTP/1.1 200 OK\r\nContent-Length: 99999999999\r\n\r\n"));
        try (HttpClient client = HttpClient.builder().maxResponseBodySize(1000).build()) {
            int status = Eventlet.run(() -> {
                try (HttpClient.Response r = client.get(uri)) {
                    r.bodyBytes();
                    return 200;
                } catch (HttpException e) {
                    return e.status();
                }
            });
            assertEquals(502, status);
        }
    }

    private static long allocated() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    @Test
    void aRedirectToAnotherOriginDoesNotCarryTheCallersCredentials() throws Exception {
        java.util.List<String> seen = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        HttpServer other = HttpServer.builder((req, resp) -> {
            seen.add(req.path() + " auth=" + req.header("Authorization") + " cookie=" + req.header("Cookie") + " x=" + req.header("X-Trace"));
            resp.send("elsewhere\n");
        }).start(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        HttpServer first = HttpServer.builder((req, resp) -> {
            seen.add(req.path() + " auth=" + req.header("Authorization"));
            String to = req.path().equals("/away") ? "http://127.0.0.1:" + other.address().getPort() + "/landed" : "/here";
            resp.status(302).header("Location", to).send("");
        }).start(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        try (HttpClient client = HttpClient.builder().followRedirects(true).build()) {
            URI away = URI.create("http://127.0.0.1:" + first.address().getPort() + "/away");
            try (HttpClient.Response r = client.send(HttpClient.Request.of("GET", away).header("Authorization", "Bearer secret")
                    .header("Cookie", "s=1").header("X-Trace", "t"))) {
                assertEquals("elsewhere\n", r.bodyText());
            }
            assertEquals(java.util.List.of("/away auth=Bearer secret", "/landed auth=null cookie=null x=t"), seen,
                    "credentials stay with their origin; other headers follow");
        } finally {
            first.close();
            other.close();
        }
    }

    @Test
    void aPostThatReachedAServerWhichClosedIsNotSentAgainButAGetIs() throws Exception {
        java.util.concurrent.atomic.AtomicInteger heads = new java.util.concurrent.atomic.AtomicInteger();
        // Each connection: the first request is answered (kept alive), the second is read and the
        // connection closed without a word, as a server restarting between requests does.
        URI uri = serve(out -> { });   // placeholder to get a port; replaced below
        listener.close();
        serverThread.join(10_000);
        listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        serverThread = new Thread(() -> {
            while (!listener.isClosed()) {
                try (Socket s = listener.accept()) {
                    readHead(s.getInputStream());
                    heads.incrementAndGet();
                    write(s.getOutputStream(), "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
                    readHead(s.getInputStream());
                    heads.incrementAndGet();
                } catch (IOException e) {
                    // done with this one
                }
            }
        }, "raw-server");
        serverThread.start();
        URI base = URI.create("http://127.0.0.1:" + listener.getLocalPort() + "/");
        try (HttpClient client = HttpClient.builder().maxConnectionsPerHost(1).build()) {
            assertEquals("ok", client.get(base).bodyText());   // read whole: the connection goes back to the pool
            assertThrows(IOException.class, () -> client.post(base, new byte[] {1}, "application/octet-stream").close());
            assertEquals(2, heads.get(), "the POST was seen once, and not sent again");
            assertEquals("ok", client.get(base).bodyText());   // a fresh connection, answered, pooled
            assertEquals("ok", client.get(base).bodyText(), "a GET on the reused connection that then closed is retried once");
            assertEquals(5, heads.get(), "GET, POST, GET, then the GET that met the closed connection and its retry");
        }
    }
}
