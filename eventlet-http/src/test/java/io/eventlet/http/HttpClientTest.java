package io.eventlet.http;

import io.eventlet.Eventlet;
import io.eventlet.GreenPool;
import io.eventlet.hub.selector.SelectorHubProvider;
import io.eventlet.kit.TestCa;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The HTTP client against the server: methods, pooling, streaming, timeouts, TLS, redirects, retries. */
class HttpClientTest {
    private HttpServer server;
    private final Set<Integer> ports = ConcurrentHashMap.newKeySet();

    @AfterEach
    void stop() throws IOException {
        if (server != null) {
            server.close();
        }
    }

    private void handle(HttpRequest req, HttpResponse resp) throws Exception {
        ports.add(((InetSocketAddress) req.remoteAddress()).getPort());
        switch (req.path()) {
            case "/method" -> resp.send(req.method() + " " + new String(req.bodyBytes(), StandardCharsets.UTF_8));
            case "/redirect" -> resp.status(302).header("Location", "/method").send("moved");
            case "/redirect307" -> resp.status(307).header("Location", "/method").send("moved");
            case "/loop" -> resp.status(302).header("Location", "/loop").send("again");
            default -> HttpServerTest.handle(req, resp);
        }
    }

    private URI start(HttpServer.Builder b, String scheme) throws IOException {
        server = b.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        return URI.create(scheme + "://" + (scheme.equals("https") ? "localhost" : "127.0.0.1") + ":" + server.address().getPort());
    }

    private <T> T green(java.util.concurrent.Callable<T> body) {
        return io.eventlet.Hub.run(new SelectorHubProvider(), body);
    }

    @Test
    void everyMethodAndKeepAliveOnOneConnection() throws Exception {
        URI base = start(HttpServer.builder(this::handle), "http");
        HttpClient client = HttpClient.builder().build();
        green(() -> {
            try (HttpClient.Response r = client.get(base.resolve("/method"))) {
                assertEquals(200, r.status());
                assertEquals("OK", r.reason());
                assertEquals("GET ", r.bodyText());
            }
            assertEquals("POST hi", client.post(base.resolve("/method"), "hi".getBytes(StandardCharsets.UTF_8), "text/plain").bodyText());
            assertEquals("PUT x", client.put(base.resolve("/method"), "x".getBytes(StandardCharsets.UTF_8), "text/plain").bodyText());
            assertEquals("DELETE ", client.delete(base.resolve("/method")).bodyText());
            HttpClient.Response head = client.head(base.resolve("/method"));
            assertEquals("5", head.header("Content-Length"));
            assertEquals(0, head.bodyBytes().length);
            assertEquals("part0\npart1\npart2\n", client.get(base.resolve("/stream")).bodyText(), "a chunked response");
            return null;
        });
        assertEquals(1, ports.size(), "every request reused one kept-alive connection: " + ports);
    }

    @Test
    void streamsAChunkedRequestBody() throws Exception {
        URI base = start(HttpServer.builder(this::handle), "http");
        HttpClient client = HttpClient.builder().build();
        byte[] data = new byte[200_000];
        new Random(9).nextBytes(data);
        byte[] back = green(() -> client.send(HttpClient.Request.of("POST", base.resolve("/echo"))
                .body(new ByteArrayInputStream(data), -1)).bodyBytes());
        assertArrayEquals(data, back);
    }

    @Test
    void boundsConnectionsPerHost() throws Exception {
        URI base = start(HttpServer.builder(this::handle), "http");
        HttpClient client = HttpClient.builder().maxConnectionsPerHost(2).build();
        green(() -> {
            GreenPool pool = new GreenPool(6);
            for (int i = 0; i < 6; i++) {
                pool.spawnN(() -> {
                    try {
                        assertEquals("slow done\n", client.get(base.resolve("/slow")).bodyText());
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
            }
            pool.waitAll();
            return null;
        });
        assertEquals(2, ports.size(), "six requests over at most two connections: " + ports);
    }

    @Test
    void aSlowServerRaisesTheReadTimeout() throws Exception {
        URI base = start(HttpServer.builder(this::handle), "http");
        HttpClient client = HttpClient.builder().readTimeout(Duration.ofMillis(50)).build();
        green(() -> assertThrows(SocketTimeoutException.class, () -> client.get(base.resolve("/slow"))));
    }

    @Test
    void followsRedirectsWhenAskedTo() throws Exception {
        URI base = start(HttpServer.builder(this::handle), "http");
        HttpClient plain = HttpClient.builder().build();
        HttpClient following = HttpClient.builder().followRedirects(true).build();
        green(() -> {
            HttpClient.Response r = plain.get(base.resolve("/redirect"));
            assertEquals(302, r.status());
            assertEquals("/method", r.header("Location"));
            r.close();
            assertEquals("GET ", following.post(base.resolve("/redirect"), "body".getBytes(StandardCharsets.UTF_8), "text/plain").bodyText(),
                    "302 after POST becomes GET");
            assertEquals("POST body", following.post(base.resolve("/redirect307"), "body".getBytes(StandardCharsets.UTF_8), "text/plain").bodyText(),
                    "307 keeps the method and body");
            assertEquals(302, following.get(base.resolve("/loop")).status(), "gives up after 5 hops");
            return null;
        });
    }

    @Test
    void retriesARequestWhoseKeptAliveConnectionTheServerClosed() throws Exception {
        URI base = start(HttpServer.builder(this::handle).idleTimeout(Duration.ofMillis(100)), "http");
        HttpClient client = HttpClient.builder().build();
        green(() -> {
            assertEquals("GET ", client.get(base.resolve("/method")).bodyText());
            while (server.connections() > 0) {
                Eventlet.sleep(Duration.ofMillis(5));   // until the server's idle timeout has closed the pooled connection
            }
            assertEquals("GET ", client.get(base.resolve("/method")).bodyText());
            return null;
        });
        assertEquals(2, ports.size());
    }

    @Test
    void fetchesOverHttpsAndChecksTheName() throws Exception {
        TestCa ca = TestCa.get();
        URI base = start(HttpServer.builder(this::handle).tls(ca.serverContext(), null), "https");
        HttpClient client = HttpClient.builder().tls(ca.clientContext()).build();
        green(() -> {
            assertEquals("GET ", client.get(base.resolve("/method")).bodyText());
            assertEquals("GET ", client.get(base.resolve("/method")).bodyText());
            HttpClient untrusting = HttpClient.builder().build();   // the JDK's trust store: not our test CA
            assertThrows(javax.net.ssl.SSLHandshakeException.class, () -> untrusting.get(base.resolve("/method")));
            return null;
        });
        assertEquals(1, ports.size(), "both requests on one kept-alive TLS connection (the refused handshake never reached the handler): " + ports);
    }

    /**
     * A keep-alive server on plain threads answering "ok" to every request, which releases a
     * permit of {@code ended} each time a client closes its connection: closing is observed, not
     * guessed.
     */
    private static java.net.ServerSocket keepAliveServer(java.util.concurrent.Semaphore ended) throws IOException {
        java.net.ServerSocket ss = new java.net.ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofPlatform().daemon().start(() -> {
            while (!ss.isClosed()) {
                java.net.Socket s;
                try {
                    s = ss.accept();
                } catch (IOException e) {
                    return;
                }
                Thread.ofPlatform().daemon().start(() -> {
                    try (s) {
                        var in = new java.io.BufferedReader(new java.io.InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
                        for (String line; (line = in.readLine()) != null; ) {
                            while (!line.isEmpty()) {
                                line = in.readLine();
                            }
                            s.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok".getBytes(StandardCharsets.ISO_8859_1));
                        }
                        ended.release();   // end of stream: the client closed its connection
                    } catch (IOException e) {
                        // the test is over
                    }
                });
            }
        });
        return ss;
    }

    private static void awaitClosed(java.util.concurrent.Semaphore ended, String what) throws InterruptedException {
        assertTrue(ended.tryAcquire(10, java.util.concurrent.TimeUnit.SECONDS), what);
    }

    @Test
    void closeClosesIdleConnectionsThenInUseOnesWhenReleasedAndRefusesLaterRequests() throws Exception {
        var ended = new java.util.concurrent.Semaphore(0);
        try (java.net.ServerSocket ss = keepAliveServer(ended)) {
            URI uri = URI.create("http://127.0.0.1:" + ss.getLocalPort() + "/");
            HttpClient client = HttpClient.builder().build();
            HttpClient.Response held = client.get(uri);   // its connection stays in use
            assertEquals("ok", client.get(uri).bodyText());   // read to its end: this connection goes idle
            client.close();
            awaitClosed(ended, "close() closes the idle connection");
            assertEquals(0, ended.availablePermits(), "the connection in use stays open");
            assertEquals("ok", held.bodyText(), "a response in flight can still be read");
            awaitClosed(ended, "the in-use connection is closed once its response is done, not pooled");
            IOException refused = assertThrows(IOException.class, () -> client.get(uri));
            assertTrue(refused.getMessage().contains("closed"), refused.getMessage());
            client.close();   // idempotent
        }
    }

    @Test
    void aPoolOfAClosedHubIsDroppedAndItsConnectionClosed() throws Exception {
        var ended = new java.util.concurrent.Semaphore(0);
        try (java.net.ServerSocket ss = keepAliveServer(ended)) {
            URI uri = URI.create("http://127.0.0.1:" + ss.getLocalPort() + "/");
            HttpClient client = HttpClient.builder().build();
            assertEquals("ok", green(() -> client.get(uri).bodyText()));   // pooled for a hub that is now closed
            assertEquals(0, ended.availablePermits());
            assertEquals("ok", client.get(uri).bodyText());   // a new pool (plain threads) prunes the dead one
            awaitClosed(ended, "the closed hub's idle connection is closed");
            client.close();
            awaitClosed(ended, "and close() closes the plain threads' one");
        }
    }

    @Test
    void aConnectionInUseWhenItsPoolIsDroppedIsClosedWhenGivenBack() throws Exception {
        var ended = new java.util.concurrent.Semaphore(0);
        try (java.net.ServerSocket ss = keepAliveServer(ended)) {
            URI uri = URI.create("http://127.0.0.1:" + ss.getLocalPort() + "/");
            HttpClient client = HttpClient.builder().build();
            HttpClient.Response held = green(() -> client.get(uri));   // its hub is closed now; the body is unread
            assertEquals("ok", client.get(uri).bodyText());   // a new pool: the dead hub's pool is dropped
            assertEquals(0, ended.availablePermits(), "the held connection was in use, so it stayed open");
            assertEquals("ok", held.bodyText());   // done: given back to the dropped pool
            awaitClosed(ended, "a connection given back to a dropped pool is closed, not kept");
            client.close();
            awaitClosed(ended, "and close() closes the plain threads' one");
        }
    }

    @Test
    void closingAResponseFromAnotherThreadAbortsABlockedReadWithAnIOException() throws Exception {
        var entered = new java.util.concurrent.CountDownLatch(1);
        try (HttpServer stalling = HttpServer.builder((req, resp) -> {
                    resp.header("Content-Length", "100");
                    java.io.OutputStream body = resp.body();
                    body.write("only part".getBytes(StandardCharsets.UTF_8));
                    body.flush();
                    entered.countDown();
                    Eventlet.sleep(Duration.ofSeconds(30));   // the rest never comes while the test runs
                }).start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            URI uri = URI.create("http://127.0.0.1:" + stalling.address().getPort() + "/");
            HttpClient client = HttpClient.builder().build();
            HttpClient.Response r = client.get(uri);
            assertTrue(entered.await(10, java.util.concurrent.TimeUnit.SECONDS));
            var failure = new java.util.concurrent.CompletableFuture<Throwable>();
            Thread reader = Thread.ofPlatform().start(() -> {
                try {
                    r.bodyBytes();
                    failure.complete(null);
                } catch (Throwable t) {
                    failure.complete(t);
                }
            });
            // Close once the reader has consumed what came and waits for more (or has not started:
            // either way its read must end with an IOException, never a foreign buffer or an NPE).
            r.close();
            Throwable t = failure.get(10, java.util.concurrent.TimeUnit.SECONDS);
            reader.join();
            assertTrue(t instanceof IOException, "an IOException, not " + t);
            client.close();
        }
    }

    @Test
    void refusesWhatIsNotAnHttpUri() {
        assertThrows(IllegalArgumentException.class, () -> HttpClient.Request.of("GET", URI.create("ftp://x/")));
        assertThrows(IllegalArgumentException.class, () -> HttpClient.Request.of("GET", URI.create("/relative")));
        assertThrows(IllegalArgumentException.class, () -> HttpClient.builder().maxConnectionsPerHost(0));
    }
}
