package io.eventlet.kit;

import io.eventlet.Eventlet;
import io.eventlet.GreenThread;
import io.eventlet.GreenThreadExit;
import io.eventlet.Hub;
import io.eventlet.net.GreenServerSocket;
import io.eventlet.net.GreenSocket;
import io.eventlet.net.MultiHubServer;
import io.eventlet.net.Server;
import io.eventlet.net.StopServe;
import java.io.IOException;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.net.ConnectException;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout.ThreadMode;
import org.junit.jupiter.api.extension.ExtendWith;

import static io.eventlet.kit.OnHub.LOOPBACK;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Serving and stopping on one kind of hub: {@link Server}'s graceful shutdown (handlers in
 * progress finish, the ones left at the deadline are killed, new clients are refused), a listener
 * closed from another thread ending {@link Eventlet#serve} quietly, and {@link MultiHubServer}'s
 * shutdown. No descriptor is leaked ({@link NoFdLeaked}). One behaviour of the conformance kit, a
 * test interface that {@link HubConformance} implements.
 */
@ExtendWith(NoFdLeaked.class)
public interface ServeBehaviour extends HubCases {
    /** A case of this behaviour: bounded on a thread of its own. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.METHOD)
    @Test
    @org.junit.jupiter.api.Timeout(value = 60, threadMode = ThreadMode.SEPARATE_THREAD)
    @interface ServeCase {}

    /** Longer than any case: a handler that waits this long is ended by a shutdown or not at all. */
    Duration GRACE = Duration.ofMinutes(10);

    private void green(OnHub.Body body) {
        OnHub.run(provider(), body);
    }

    /** Yields (a green caller) or spins briefly (a plain one) until {@code done}; fails after 20 s. */
    private static void eventually(BooleanSupplier done, String what) {
        long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!done.getAsBoolean()) {
            assertTrue(System.nanoTime() - end < 0, "timed out waiting until " + what);
            if (Eventlet.current() != null) {
                Eventlet.sleep();
            } else {
                Thread.onSpinWait();
                Thread.yield();
            }
        }
    }

    /** A handler that reads one byte, waits for {@code release}, and answers with the byte + 1. */
    private static io.eventlet.net.ConnectionHandler holdUntil(CountDownLatch entered, CountDownLatch release) {
        return conn -> {
            int b = conn.inputStream().read();
            entered.countDown();
            OnHub.await(release, "the test's release");
            conn.writeAll(new byte[] {(byte) (b + 1)});
        };
    }

    private static void assertRefused(SocketAddress address) {
        assertThrows(ConnectException.class, () -> {
            try (GreenSocket c = Eventlet.connect(address, Duration.ofSeconds(10))) {
                fail("a shut-down server's address accepted a connection: " + c);
            }
        });
    }

    // ---- Server: shutdown ----------------------------------------------------------------------

    @ServeCase
    default void shutdownRefusesNewClientsAndLetsAHandlerInProgressFinish() {
        green(() -> {
            CountDownLatch entered = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            Server server = Server.start(Eventlet.listen(LOOPBACK), holdUntil(entered, release));
            SocketAddress address = server.address();
            try (GreenSocket c = Eventlet.connect(address)) {
                c.writeAll(new byte[] {41});
                OnHub.await(entered, "the handler");
                assertEquals(1, server.connections());
                GreenThread<Boolean> shutdown = Eventlet.spawn(() -> server.shutdown(GRACE));
                eventually(server::isStopped, "the accept loop ended");
                assertRefused(address);
                assertFalse(shutdown.isDone(), "shutdown waits for the handler in progress");
                release.countDown();
                assertEquals(42, c.inputStream().read(), "the handler finished its answer");
                assertEquals(-1, c.inputStream().read(), "and its connection closed");
                assertTrue(shutdown.join(), "every handler finished before the deadline");
                assertEquals(0, server.connections());
            }
        });
    }

    @ServeCase
    default void shutdownKillsTheHandlersLeftAtItsDeadline() {
        green(() -> {
            AtomicInteger finallyRan = new AtomicInteger();
            AtomicReference<Throwable> ended = new AtomicReference<>();
            CountDownLatch entered = new CountDownLatch(2);
            Server server = Server.start(Eventlet.listen(LOOPBACK), conn -> {
                entered.countDown();
                try {
                    conn.inputStream().read();          // its client never writes
                } catch (Throwable t) {
                    ended.set(t);
                    throw t;
                } finally {
                    finallyRan.incrementAndGet();
                }
            });
            try (GreenSocket a = Eventlet.connect(server.address());
                 GreenSocket b = Eventlet.connect(server.address())) {
                OnHub.await(entered, "both handlers");
                long start = System.nanoTime();
                assertFalse(server.shutdown(Duration.ofMillis(50)), "two handlers had to be killed");
                assertTrue(System.nanoTime() - start >= Duration.ofMillis(50).toNanos(), "not before the deadline");
                assertEquals(2, finallyRan.get(), "the killed handlers' finally blocks ran");
                assertInstanceOf(GreenThreadExit.class, ended.get());
                assertEquals(0, server.connections());
                a.setTimeout(Duration.ofSeconds(10));
                assertEquals(-1, a.inputStream().read(), "a killed handler's connection is closed");
                b.setTimeout(Duration.ofSeconds(10));
                assertEquals(-1, b.inputStream().read());
                assertTrue(server.isStopped());
            }
        });
    }

    @ServeCase
    default void closeFromAPlainThreadKillsEveryHandlerAtOnce() throws Exception {
        Hub hub = Hub.start(provider());
        try {
            CountDownLatch entered = new CountDownLatch(3);
            Server server = hub.spawn(() -> Server.start(Eventlet.listen(LOOPBACK), conn -> {
                entered.countDown();
                conn.inputStream().read();
            })).join();
            assertSame(hub, server.hub(), "a green caller's server runs on the caller's hub");
            List<GreenSocket> clients = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    clients.add(Eventlet.connect(server.address(), Duration.ofSeconds(10)));
                }
                OnHub.await(entered, "three handlers");
                server.close();                          // this test's plain thread: blocks until done
                assertEquals(0, server.connections());
                assertTrue(server.isStopped());
                server.await();                          // ended by the close: returns quietly
                for (GreenSocket c : clients) {
                    c.setTimeout(Duration.ofSeconds(10));
                    assertEquals(-1, c.inputStream().read());
                }
                assertFalse(server.shutdown(Duration.ZERO), "a second shutdown returns at once, with the first's outcome");
            } finally {
                for (GreenSocket c : clients) {
                    c.close();
                }
            }
        } finally {
            hub.close();
        }
    }

    @ServeCase
    default void anEarlierDeadlineOverridesALaterOne() {
        green(() -> {
            CountDownLatch entered = new CountDownLatch(1);
            Server server = Server.start(Eventlet.listen(LOOPBACK), conn -> {
                entered.countDown();
                conn.inputStream().read();
            });
            try (GreenSocket c = Eventlet.connect(server.address())) {
                OnHub.await(entered, "the handler");
                GreenThread<Boolean> patient = Eventlet.spawn(() -> server.shutdown(GRACE));
                eventually(server::isStopped, "the first shutdown began");
                assertFalse(server.shutdown(Duration.ofMillis(20)), "the second, shorter deadline killed the handler");
                assertFalse(patient.join(), "the first shutdown ended with it");
            }
        });
    }

    @ServeCase
    default void aShutdownFromAnotherHubsGreenThreadWaitsWithoutBlockingThatHub() throws Exception {
        Hub serving = Hub.start(provider());
        try {
            CountDownLatch entered = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            Server server = serving.spawn(() -> Server.start(Eventlet.listen(LOOPBACK), holdUntil(entered, release))).join();
            green(() -> {
                try (GreenSocket c = Eventlet.connect(server.address())) {
                    c.writeAll(new byte[] {1});
                    OnHub.await(entered, "the handler");
                    AtomicBoolean ticked = new AtomicBoolean();
                    GreenThread<Boolean> shutdown = Eventlet.spawn(() -> server.shutdown(GRACE));
                    Eventlet.spawn(() -> {
                        ticked.set(true);               // runs while the shutdown waits: the hub is free
                        release.countDown();
                        return null;
                    });
                    assertTrue(shutdown.join());
                    assertTrue(ticked.get());
                    assertEquals(2, c.inputStream().read());
                }
            });
        } finally {
            serving.close();
        }
    }

    @ServeCase
    default void aHandlerCannotWaitForItsOwnShutdownButCanStartOne() {
        green(() -> {
            List<Throwable> errors = new CopyOnWriteArrayList<>();
            AtomicReference<Server> self = new AtomicReference<>();
            AtomicReference<GreenThread<Boolean>> spawned = new AtomicReference<>();
            Server server = Server.start(Eventlet.listen(LOOPBACK), conn -> {
                int b = conn.inputStream().read();
                if (b == 'w') {
                    self.get().shutdown(GRACE);                        // would wait for itself
                } else {
                    spawned.set(Eventlet.spawn(() -> self.get().shutdown(GRACE)));
                    conn.writeAll(new byte[] {'k'});
                }
            }, 10, (conn, t) -> errors.add(t));
            self.set(server);
            try (GreenSocket c = Eventlet.connect(server.address())) {
                c.writeAll(new byte[] {'w'});
                assertEquals(-1, c.inputStream().read());
            }
            assertEquals(1, errors.size());
            assertInstanceOf(IllegalStateException.class, errors.get(0));
            assertTrue(errors.get(0).getMessage().contains("StopServe"), errors.get(0).getMessage());
            assertFalse(server.isStopped());
            try (GreenSocket c = Eventlet.connect(server.address())) {
                c.writeAll(new byte[] {'s'});
                assertEquals('k', c.inputStream().read());
            }
            eventually(() -> spawned.get() != null, "the handler spawned its shutdown");
            assertTrue(spawned.get().join(), "the shutdown waited for the handler that started it, which returned");
            assertTrue(server.isStopped());
        });
    }

    @ServeCase
    default void shutdownWakesAnAcceptLoopWaitingForASlot() {
        green(() -> {
            AtomicInteger started = new AtomicInteger();
            CountDownLatch entered = new CountDownLatch(1);
            Server server = Server.start(Eventlet.listen(LOOPBACK), conn -> {
                started.incrementAndGet();
                entered.countDown();
                conn.inputStream().read();
            }, 1, null);
            try (GreenSocket first = Eventlet.connect(server.address());
                 GreenSocket second = Eventlet.connect(server.address())) {
                OnHub.await(entered, "the first handler");
                second.writeAll(new byte[] {2});        // waits in the backlog: concurrency 1
                assertFalse(server.shutdown(Duration.ZERO));
                assertTrue(server.isStopped());
                assertEquals(1, started.get(), "the backlog's connection was never handled");
                second.setTimeout(Duration.ofSeconds(10));
                try {
                    assertEquals(-1, second.inputStream().read(), "the closed listener dropped the queued connection");
                } catch (IOException reset) {
                    // A reset is the other way the kernel drops a queued connection.
                }
            }
        });
    }

    @ServeCase
    default void stopServeEndsAwaitAndLeavesTheListenerToTheShutdown() {
        green(() -> {
            GreenServerSocket listener = Eventlet.listen(LOOPBACK);
            Server server = Server.start(listener, conn -> {
                throw new StopServe("enough");
            });
            try (GreenSocket c = Eventlet.connect(server.address())) {
                server.await();
            }
            assertTrue(server.isStopped());
            assertTrue(listener.isOpen(), "a StopServe leaves the listener open, as serve does");
            assertTrue(server.shutdown(Duration.ZERO), "nothing was left to kill");
            assertFalse(listener.isOpen(), "the shutdown closed it");
        });
    }

    @ServeCase
    default void awaitRethrowsTheListenersOwnTimeout() {
        green(() -> {
            GreenServerSocket listener = Eventlet.listen(LOOPBACK).setTimeout(Duration.ofMillis(30));
            Server server = Server.start(listener, conn -> { });
            try {
                assertThrows(SocketTimeoutException.class, server::await);
                assertTrue(server.isStopped());
            } finally {
                server.close();
            }
        });
    }

    @ServeCase
    default void aShutdownDuringAStormOfConnectionsLeavesNothingBehind() throws Exception {
        Hub serving = Hub.start(provider());
        Hub clients = Hub.start(provider());
        try {
            Server server = serving.spawn(() -> Server.start(Eventlet.listen(LOOPBACK, 1024), conn -> {
                ByteBuffer buf = ByteBuffer.allocate(64);
                while (conn.read(buf) >= 0) {
                    buf.flip();
                    conn.writeAll(buf);
                    buf.clear();
                }
            })).join();
            SocketAddress address = server.address();
            AtomicInteger served = new AtomicInteger();
            AtomicBoolean stop = new AtomicBoolean();
            List<GreenThread<Void>> load = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                load.add(clients.spawn(() -> {
                    while (!stop.get()) {
                        try (GreenSocket c = Eventlet.connect(address, Duration.ofSeconds(10))) {
                            c.setTimeout(Duration.ofSeconds(10));
                            c.writeAll(new byte[] {7});
                            if (c.inputStream().read() == 7) {
                                served.incrementAndGet();
                            }
                        } catch (IOException e) {
                            // refused, reset or closed by the shutdown: what a client of a stopping server sees
                            if (server.isStopped()) {
                                return null;
                            }
                        }
                    }
                    return null;
                }));
            }
            eventually(() -> served.get() >= 500, "500 round trips");
            server.shutdown(Duration.ofMillis(100));
            assertTrue(server.isStopped());
            assertEquals(0, server.connections(), "every accepted connection was handled or closed");
            stop.set(true);
            for (GreenThread<Void> g : load) {
                g.join();
            }
            serving.spawn(() -> {
                eventually(() -> Hub.current().stats().greenThreads() == 1, "only the counting thread is left on the serving hub");
                return null;
            }).join();
        } finally {
            clients.close();
            serving.close();
        }
    }

    // ---- Eventlet.serve: a close from another thread ---------------------------------------

    @ServeCase
    default void closingTheListenerFromAPlainThreadEndsServeQuietlyAndLeavesHandlersRunning() {
        green(() -> {
            GreenServerSocket listener = Eventlet.listen(LOOPBACK);
            CountDownLatch entered = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            GreenThread<Void> serving = Eventlet.spawn(() -> {
                Eventlet.serve(listener, holdUntil(entered, release));
                return null;
            });
            try (GreenSocket c = Eventlet.connect(listener.localAddress())) {
                c.writeAll(new byte[] {9});
                OnHub.await(entered, "the handler");
                Thread closer = Thread.ofPlatform().start(() -> {
                    try {
                        listener.close();
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
                assertNull(serving.join(), "serve returned, without an exception");
                closer.join();
                release.countDown();
                assertEquals(10, c.inputStream().read(), "the handler in progress went on");
            }
        });
    }

    // ---- MultiHubServer ---------------------------------------------------------------------

    @ServeCase
    default void aMultiHubServerShutdownLetsEveryHubsHandlersFinish() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger entered = new AtomicInteger();
        MultiHubServer server = MultiHubServer.start(LOOPBACK, 2, 100, conn -> {
            int b = conn.inputStream().read();
            if (b < 0) {
                return;                                  // the releaser's probe
            }
            entered.incrementAndGet();
            OnHub.await(release, "the test's release");
            conn.writeAll(new byte[] {(byte) (b + 1)});
        }, provider());
        List<GreenSocket> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 20; i++) {
                GreenSocket c = Eventlet.connect(server.address(), Duration.ofSeconds(10));
                clients.add(c);
                c.writeAll(new byte[] {(byte) i});
            }
            eventually(() -> entered.get() == 20, "20 handlers");
            Thread releaser = Thread.ofPlatform().start(() -> {
                // Once both listeners are closed, the handlers may answer.
                eventually(() -> {
                    try {
                        Eventlet.connect(server.address(), Duration.ofSeconds(10)).close();
                        return false;
                    } catch (IOException refused) {
                        return true;
                    }
                }, "the listeners closed");
                release.countDown();
            });
            assertTrue(server.shutdown(GRACE));
            releaser.join();
            for (int i = 0; i < clients.size(); i++) {
                clients.get(i).setTimeout(Duration.ofSeconds(10));
                assertEquals(i + 1, clients.get(i).inputStream().read());
            }
            assertTrue(server.hubs().stream().allMatch(Hub::isClosed));
        } finally {
            for (GreenSocket c : clients) {
                c.close();
            }
            server.close();
        }
    }
}
