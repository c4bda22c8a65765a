package io.eventlet.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Deadlines a slow client cannot stretch, from the outside, on every hub: a head must be whole
 * within the header timeout however often its bytes trickle in (from the accept for a first
 * request, from the first byte for a keep-alive one), a body must keep its pace, and a
 * legitimate client is served while slowloris connections fill the server.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HttpDeadlinesTest {
    private static final Duration HEAD = Duration.ofMillis(1500);
    private HttpServer server;

    @AfterEach
    void stop() throws IOException {
        if (server != null) {
            server.close();
        }
    }

    private int start(String hub, HttpServer.Builder b) throws IOException {
        server = b.hub(hub).start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        return server.address().getPort();
    }

    private static HttpServer.Builder builder() {
        return HttpServer.builder(HttpStrictnessTest::describe).headerTimeout(HEAD);
    }

    private static Socket connect(int port) throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
        s.setSoTimeout(30_000);
        return s;
    }

    private static void send(Socket s, String text) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /**
     * Sends {@code head} a byte at a time every {@code gapMs} until the server answers or closes;
     * returns the response (null when the server closed without one) and how long it took.
     */
    private static Dripped drip(Socket s, String head, long gapMs) throws IOException {
        long start = System.nanoTime();
        InputStream in = s.getInputStream();
        byte[] bytes = head.getBytes(StandardCharsets.ISO_8859_1);
        int sent = 0;
        try {
            while (in.available() == 0) {
                s.getOutputStream().write(bytes[sent++ % bytes.length]);
                s.getOutputStream().flush();
                // The gap is the attack's rhythm, not synchronisation: the server's deadline is what ends the loop.
                s.setSoTimeout((int) gapMs);
                try {
                    int b = in.read();
                    if (b < 0) {
                        return new Dripped(null, elapsedMs(start), sent);
                    }
                    s.setSoTimeout(30_000);
                    HttpServerTest.Response r = HttpServerTest.read(new java.io.SequenceInputStream(
                            new java.io.ByteArrayInputStream(new byte[] {(byte) b}), in), false);
                    return new Dripped(r, elapsedMs(start), sent);
                } catch (java.net.SocketTimeoutException quiet) {
                    // nothing yet: the next byte
                }
            }
        } catch (SocketException reset) {
            return new Dripped(null, elapsedMs(start), sent);
        }
        s.setSoTimeout(30_000);
        return new Dripped(HttpServerTest.read(in, false), elapsedMs(start), sent);
    }

    private record Dripped(HttpServerTest.Response response, long millis, int bytesSent) {
    }

    private static long elapsedMs(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }

    @ParameterizedTest
    @ValueSource(strings = {"selector", "epoll", "poll"})
    void aTricklingHeadIsCutAtTheHeaderTimeoutWith408(String hub) throws IOException {
        int port = start(hub, builder());
        try (Socket s = connect(port)) {
            Dripped d = drip(s, "GET / HTTP/1.1\r\nHost: t\r\nX-Slow: " + "a".repeat(10_000), 100);
            assertNotNull(d.response(), "a head with bytes in it is answered");
            assertEquals(408, d.response().status());
            assertEquals("close", d.response().header("Connection"));
            assertTrue(d.bytesSent() > 5, "the client kept sending: " + d.bytesSent());
            assertTrue(d.millis() >= HEAD.toMillis() - 100, "not before the deadline: " + d.millis() + " ms");
            assertEquals(-1, s.getInputStream().read());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"selector", "epoll", "poll"})
    void aConnectionThatSendsNothingIsClosedAtTheHeaderTimeoutWithoutAnAnswer(String hub) throws IOException {
        int port = start(hub, builder().idleTimeout(Duration.ofSeconds(50)));
        try (Socket s = connect(port)) {
            long start = System.nanoTime();
            assertEquals(-1, s.getInputStream().read(), "closed, with nothing to answer");
            assertTrue(elapsedMs(start) >= HEAD.toMillis() - 100, "not before the deadline: " + elapsedMs(start));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"selector", "epoll", "poll"})
    void aKeepAliveRequestsHeadIsTimedFromItsFirstByte(String hub) throws IOException {
        int port = start(hub, builder().idleTimeout(Duration.ofSeconds(30)));
        try (Socket s = connect(port)) {
            send(s, "GET /one HTTP/1.1\r\nHost: t\r\n\r\n");
            assertEquals(200, HttpServerTest.read(s.getInputStream(), false).status());
            // Idle for longer than the head timeout: the idle timeout rules until the next byte.
            s.setSoTimeout((int) HEAD.toMillis() + 500);
            try {
                assertEquals(-2, s.getInputStream().read(), "the server must not close an idle keep-alive connection early");
            } catch (java.net.SocketTimeoutException expected) {
                // still open: good
            }
            Dripped d = drip(s, "GET /two HTTP/1.1\r\nHost: t\r\nX-Slow: " + "a".repeat(10_000), 100);
            assertNotNull(d.response());
            assertEquals(408, d.response().status());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"selector", "epoll", "poll"})
    void aBodyBelowTheMinimumRateIsCutWith408AndOneAboveItIsServed(String hub) throws IOException {
        int port = start(hub, builder().bodyTimeout(Duration.ofMillis(1000), 2000));
        try (Socket s = connect(port)) {
            send(s, "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 100000\r\n\r\n");
            Dripped d = drip(s, "x", 100);   // 10 bytes/s against a 2,000 bytes/s minimum
            assertNotNull(d.response());
            assertEquals(408, d.response().status());
            assertTrue(d.millis() >= 900, "after the body timeout: " + d.millis());
        }
        // 48 KB at about 16 KB/s: three times the body timeout in all, but always above the rate.
        try (Socket s = connect(port)) {
            send(s, "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 49152\r\n\r\n");
            byte[] part = "y".repeat(4096).getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < 12; i++) {
                s.getOutputStream().write(part);
                s.getOutputStream().flush();
                sleepAsPace(250);
            }
            HttpServerTest.Response r = HttpServerTest.read(s.getInputStream(), false);
            assertEquals(200, r.status(), r.body());
            assertTrue(r.body().contains("body=" + "y".repeat(100)), "the whole body arrived");
        }
    }

    /** The upload's pace (what the test is about), not a wait for the server. */
    private static void sleepAsPace(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"selector", "epoll", "poll"})
    void aLegitimateClientIsServedWithinTheHeadDeadlineWhileSlowlorisFillsTheServer(String hub) throws Exception {
        int slots = 40;
        int port = start(hub, builder().maxConnections(slots));
        List<Socket> attackers = new ArrayList<>();
        int held = slots + 1;   // every slot and the acceptor's spare: the legitimate client must wait for a cut
        try {
            for (int i = 0; i < held; i++) {
                Socket s = connect(port);
                send(s, "GET / HTTP/1.1\r\nHost: t\r\nX-Slow: a");   // a head that never ends
                attackers.add(s);
            }
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (server.connections() < held && System.nanoTime() < until) {
                Thread.onSpinWait();
            }
            assertEquals(held, server.connections(), "the attack fills the server");
            long start = System.nanoTime();
            try (Socket legit = connect(port)) {
                send(legit, "GET /legit HTTP/1.1\r\nHost: t\r\n\r\n");
                HttpServerTest.Response r = HttpServerTest.read(legit.getInputStream(), false);
                long ms = elapsedMs(start);
                assertEquals(200, r.status());
                assertTrue(ms < HEAD.toMillis() + 3000, "answered within the head deadline (+ slack): " + ms + " ms");
            }
            for (Socket s : attackers) {
                HttpServerTest.Response r = HttpServerTest.read(s.getInputStream(), false);
                assertEquals(408, r.status(), "each slowloris head is cut");
            }
        } finally {
            for (Socket s : attackers) {
                s.close();
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"selector", "epoll", "poll"})
    void aFullServerClosesItsLongestIdleKeepAliveConnectionToServeANewClient(String hub) throws Exception {
        int slots = 20;
        int port = start(hub, builder().maxConnections(slots).idleTimeout(Duration.ofSeconds(50)));
        List<Socket> quiet = new ArrayList<>();
        try {
            for (int i = 0; i < slots; i++) {
                Socket s = connect(port);
                send(s, "GET /once HTTP/1.1\r\nHost: t\r\n\r\n");
                assertEquals(200, HttpServerTest.read(s.getInputStream(), false).status());
                quiet.add(s);   // one request, then silence: a keep-alive connection holding a slot
            }
            for (int round = 0; round < 3; round++) {
                try (Socket legit = connect(port)) {
                    send(legit, "GET /legit HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
                    assertEquals(200, HttpServerTest.read(legit.getInputStream(), false).status(), "served at once, not after the idle timeout");
                }
            }
            assertEquals(-1, quiet.get(0).getInputStream().read(), "the longest-idle connection made room");
        } finally {
            for (Socket s : quiet) {
                s.close();
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"selector", "epoll", "poll"})
    void aPipeliningClientDoesNotHoldTheHubFromOthers(String hub) throws Exception {
        java.util.List<String> order = java.util.Collections.synchronizedList(new ArrayList<>());
        int port = start(hub, HttpServer.builder((req, resp) -> {
            order.add(req.path());
            resp.send("ok\n");
        }));
        int pipelined = 3000;
        try (Socket other = connect(port); Socket pipeliner = connect(port)) {
            // The other client's connection is open and served once, so its green thread idles on the hub.
            send(other, "GET /warm HTTP/1.1\r\nHost: t\r\n\r\n");
            assertEquals(200, HttpServerTest.read(other.getInputStream(), false).status());
            Thread drain = new Thread(() -> {
                try {
                    pipeliner.getInputStream().transferTo(OutputStream.nullOutputStream());
                } catch (IOException e) {
                    // closed at the end
                }
            });
            drain.start();
            send(pipeliner, "GET /p HTTP/1.1\r\nHost: t\r\n\r\n".repeat(pipelined));
            send(other, "GET /other HTTP/1.1\r\nHost: t\r\n\r\n");
            assertEquals(200, HttpServerTest.read(other.getInputStream(), false).status());
            int position = order.indexOf("/other");
            // Without a yield between buffered requests the other client waits for all 3,000.
            assertTrue(position < pipelined, "served among the pipelined requests, not after them: position " + position);
            pipeliner.shutdownOutput();
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (order.size() < pipelined + 2 && System.nanoTime() < until) {
                Thread.onSpinWait();
            }
            assertEquals(pipelined + 2, order.size(), "every pipelined request was still served");
            pipeliner.close();
            drain.join(10_000);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"selector", "epoll", "poll"})
    void aTlsClientDrippingItsHandshakeIsCutAtTheHeaderTimeout(String hub) throws Exception {
        int port = start(hub, builder().tls(io.eventlet.kit.TestCa.get().serverContext(), null));
        try (Socket s = connect(port)) {
            s.setSoTimeout(15_000);   // far past the 1.5 s deadline: a server that waits per TLS read fails here
            // A TLS record header announcing 512 bytes, then the record a byte at a time: each socket
            // read inside the TLS layer gets bytes well within any per-read timeout.
            byte[] header = {0x16, 0x03, 0x01, 0x02, 0x00};
            s.getOutputStream().write(header);
            long start = System.nanoTime();
            Dripped d = drip(s, "A".repeat(511), 100);
            assertEquals(null, d.response(), "closed without an answer: the handshake never finished");
            assertTrue(d.millis() >= HEAD.toMillis() - 200, "not before the deadline: " + d.millis());
            assertTrue(elapsedMs(start) < 12_000, "cut by the head deadline, not a per-read timeout: " + elapsedMs(start));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"selector", "epoll", "poll"})
    void aStrayCrlfAfterABodyDoesNotArmTheHeadDeadline(String hub) throws IOException {
        int port = start(hub, builder().idleTimeout(Duration.ofSeconds(30)));
        try (Socket s = connect(port)) {
            send(s, "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 2\r\n\r\nok\r\n");   // the CRLF some clients add
            assertEquals(200, HttpServerTest.read(s.getInputStream(), false).status());
            s.setSoTimeout((int) HEAD.toMillis() + 1000);
            try {
                int b = s.getInputStream().read();
                throw new AssertionError("an idle connection got " + (b < 0 ? "closed" : "an answer") + " after a stray CRLF");
            } catch (java.net.SocketTimeoutException expected) {
                // idle under the idle timeout, as it should be
            }
            s.setSoTimeout(30_000);
            send(s, "GET /next HTTP/1.1\r\nHost: t\r\n\r\n");
            assertEquals(200, HttpServerTest.read(s.getInputStream(), false).status());
        }
    }

    @Test
    void aServerWithoutAConnectionLimitServes() throws IOException {
        // Integer.MAX_VALUE is "no limit" (the demo uses it): the acceptor's spare slot must not overflow.
        int port = start("selector", builder().maxConnections(Integer.MAX_VALUE));
        try (Socket s = connect(port)) {
            send(s, "GET / HTTP/1.1\r\nHost: t\r\n\r\n");
            assertEquals(200, HttpServerTest.read(s.getInputStream(), false).status());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"selector", "epoll", "poll"})
    void aClientReadingItsResponseTooSlowlyIsCutAndAFastOneGetsItAll(String hub) throws Exception {
        byte[] big = new byte[8 * 1024 * 1024];
        java.util.Arrays.fill(big, (byte) 'r');
        int port = start(hub, HttpServer.builder((req, resp) -> resp.send(big)).sendTimeout(Duration.ofMillis(1000), 1024 * 1024));
        try (Socket slow = new Socket()) {
            slow.setReceiveBufferSize(4096);
            slow.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            slow.setSoTimeout(20_000);
            send(slow, "GET /big HTTP/1.1\r\nHost: t\r\n\r\n");
            long[] got = {0};
            Thread reader = new Thread(() -> {
                byte[] sip = new byte[1024];
                try {
                    // 1 KiB every 20 ms, about 50 KB/s against a 1 MB/s minimum: a slowloris on the read side.
                    for (int n; (n = slow.getInputStream().read(sip)) > 0; ) {
                        got[0] += n;
                        sleepAsPace(20);
                    }
                } catch (IOException e) {
                    // cut with a reset, or closed at the end of the test
                }
            });
            reader.start();
            // The server side is what matters: what the kernel had already buffered still reaches
            // the client after the server has let go of the connection.
            long start = System.nanoTime();
            long until = start + TimeUnit.SECONDS.toNanos(20);
            while (server.connections() == 0 && System.nanoTime() < until) {
                Thread.onSpinWait();
            }
            while (server.connections() > 0 && System.nanoTime() < until) {
                Thread.sleep(10);   // polling the observable state with a deadline, not waiting a fixed time
            }
            long ms = elapsedMs(start);
            assertEquals(0, server.connections(), "the slow reader's connection is dropped by the send pace");
            assertTrue(ms < 15_000, "cut by the send pace, not the 60 s per-write timeout: " + ms + " ms");
            slow.close();
            reader.join(10_000);
            assertTrue(got[0] < big.length, "it never got the whole response: " + got[0]);
        }
        try (Socket fast = connect(port)) {
            send(fast, "GET /big HTTP/1.1\r\nHost: t\r\n\r\n");
            HttpServerTest.Response r = HttpServerTest.read(fast.getInputStream(), false);
            assertEquals(200, r.status());
            assertEquals(big.length, r.body().length(), "a client that keeps up gets everything");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"selector", "epoll", "poll"})
    void theSendPaceCountsWaitingForTheClientNotTheHandlersOwnTime(String hub) throws Exception {
        // A 300 ms pace; the handler streams an event every 100 ms for 1.5 s (server-sent events):
        // its own pauses are not the client being slow.
        int port = start(hub, HttpServer.builder((req, resp) -> {
            OutputStream body = resp.header("Content-Type", "text/event-stream").body();
            for (int i = 0; i < 15; i++) {
                body.write(("data: " + i + "\n\n").getBytes(StandardCharsets.US_ASCII));
                body.flush();
                io.eventlet.Eventlet.sleep(Duration.ofMillis(100));
            }
        }).sendTimeout(Duration.ofMillis(300), 0));
        try (Socket s = connect(port)) {
            send(s, "GET /events HTTP/1.1\r\nHost: t\r\n\r\n");
            HttpServerTest.Response r = HttpServerTest.read(s.getInputStream(), false);
            assertEquals(200, r.status());
            assertTrue(r.body().contains("data: 14"), "every event arrived: " + r.body());
        }
    }
}
