package io.eventlet;

import io.eventlet.hub.selector.SelectorHubProvider;
import io.eventlet.net.ConnectionHandler;
import io.eventlet.net.GreenServerSocket;
import io.eventlet.net.GreenSocket;
import io.eventlet.net.MultiHubServer;
import io.eventlet.net.StopServe;
import io.eventlet.spi.Poller;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The edges of the public API: argument checks, plain-thread fallbacks, descriptions. */
class ApiEdgesTest {
    private static final InetSocketAddress LOOPBACK = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    @Test
    void runTakesARunnable() {
        AtomicBoolean ran = new AtomicBoolean();
        Eventlet.run(() -> ran.set(Eventlet.current() != null));
        assertTrue(ran.get(), "the body ran as a green thread");
    }

    @Test
    void plainThreadsSleepAndYieldWithoutAHub() {
        assertNull(Eventlet.current());
        long t0 = System.nanoTime();
        Eventlet.sleep(Duration.ofMillis(5));
        assertTrue(System.nanoTime() - t0 >= 5_000_000L);
        Eventlet.sleep();
        Eventlet.sleep(Duration.ZERO);
        assertThrows(NullPointerException.class, () -> Eventlet.sleep(null));
    }

    @Test
    void spawnAfterFromAPlainThreadUsesTheDefaultHub() {
        GreenThread<String> g = Eventlet.spawnAfter(Duration.ofMillis(5), () -> Hub.current().name());
        assertEquals(Hub.defaultHub().name(), g.join());
        assertTrue(g.isStarted() && g.isDone());
        assertTrue(g.toString().contains("done"), g.toString());
        assertEquals(Hub.defaultHub(), g.hub());
        assertTrue(g.thread().isVirtual());
    }

    @Test
    void interestsMapToPollerBits() {
        assertEquals(Poller.READ, Interest.READ.ops());
        assertEquals(Poller.WRITE, Interest.WRITE.ops());
        assertEquals(Poller.READ | Poller.WRITE, Interest.READ_WRITE.ops());
    }

    @Test
    void multiHubServerChecksItsArgumentsAndClosesTwice() throws Exception {
        SelectorHubProvider p = new SelectorHubProvider();
        ConnectionHandler nothing = conn -> { };
        assertThrows(IllegalArgumentException.class, () -> MultiHubServer.start(LOOPBACK, 0, 1, nothing, p));
        assertThrows(IllegalArgumentException.class, () -> MultiHubServer.start(LOOPBACK, 1, 0, nothing, p));
        MultiHubServer server = MultiHubServer.start(LOOPBACK, 1, 1, nothing, p);
        assertTrue(server.toString().contains("1 hubs"), server.toString());
        server.close();
        server.close();
        server.await();                       // ended by close(): returns without an error
        assertTrue(server.hubs().get(0).isClosed());
    }

    @Test
    void serveChecksConcurrencyAndRunsAHubForAPlainCaller() throws Exception {
        try (GreenServerSocket server = Eventlet.listen(LOOPBACK)) {
            assertThrows(IllegalArgumentException.class, () -> Eventlet.serve(server, conn -> { }, 0));
            Thread client = Thread.ofPlatform().start(() -> {
                try (GreenSocket c = Eventlet.connect(server.localAddress(), Duration.ofSeconds(10))) {
                    c.writeAll(new byte[] {1});
                    c.read(ByteBuffer.allocate(1));
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            // The plain test thread becomes a hub until a handler stops the serve loop.
            Eventlet.serve(server, conn -> {
                conn.inputStream().read();
                throw new StopServe("enough");
            }, 1);
            client.join();
        }
    }

    @Test
    void aPlainCallersServeEndsQuietlyWhenAnotherThreadClosesTheListener() throws Exception {
        GreenServerSocket server = Eventlet.listen(LOOPBACK);
        Thread closer = Thread.ofPlatform().start(() -> {
            try (GreenSocket c = Eventlet.connect(server.localAddress(), Duration.ofSeconds(10))) {
                c.writeAll(new byte[] {1});
                c.read(ByteBuffer.allocate(1));     // the handler answered: serve is running
                server.close();                     // as a shutdown hook would
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        // No CompletionException wrapping a close the caller asked for: serve just returns.
        Eventlet.serve(server, conn -> conn.writeAll(new byte[] {(byte) conn.inputStream().read()}));
        closer.join();
        assertFalse(server.isOpen());
    }

    @Test
    void aPlainCallersServeThrowsTheListenersTimeoutAsDeclared() throws Exception {
        try (GreenServerSocket server = Eventlet.listen(LOOPBACK)) {
            server.setTimeout(Duration.ofMillis(20));
            assertThrows(java.net.SocketTimeoutException.class, () -> Eventlet.serve(server, conn -> { }));
        }
    }

    @Test
    void nonBlockingSocketsRefuseLoopsThatWouldSpin() throws Exception {
        try (GreenServerSocket server = Eventlet.listen(LOOPBACK);
             GreenSocket client = Eventlet.connect(server.localAddress());
             GreenSocket conn = server.accept()) {
            client.setTimeout(Duration.ZERO);
            assertThrows(IllegalStateException.class, () -> client.readFully(ByteBuffer.allocate(4)));
            assertThrows(IllegalStateException.class, () -> client.outputStream().write(1));
            assertEquals(Duration.ZERO, client.timeout());
            client.setTimeout(null);
            assertNull(client.timeout());
            assertFalse(server.toString().contains("closed"), server.toString());
        }
    }

    @Test
    void providersAreFoundByNameWithTheListOfHubsOnAMiss() {
        assertEquals("selector", Hub.provider("SELECTOR").name());
        assertEquals(Hub.provider().name(), Hub.defaultHub().providerName());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Hub.provider("nosuch"));
        assertTrue(e.getMessage().contains("no hub named 'nosuch'") && e.getMessage().contains("selector"), e.getMessage());
    }

    @Test
    void multiHubServerPassesHandlerErrorsToItsErrorHandler() throws Exception {
        java.util.concurrent.CompletableFuture<Throwable> seen = new java.util.concurrent.CompletableFuture<>();
        try (MultiHubServer server = MultiHubServer.start(LOOPBACK, 2, 10, conn -> {
            throw new IllegalArgumentException("bad input from " + conn.remoteAddress());
        }, (conn, t) -> seen.complete(t), Hub.provider("selector"))) {
            try (GreenSocket c = Eventlet.connect(server.address(), Duration.ofSeconds(10))) {
                assertEquals(-1, c.read(ByteBuffer.allocate(1)), "the failed handler's connection is closed");
            }
            Throwable t = seen.get(20, java.util.concurrent.TimeUnit.SECONDS);
            assertTrue(t instanceof IllegalArgumentException && t.getMessage().startsWith("bad input from"), String.valueOf(t));
        }
    }
}
