package io.eventlet.kit;

import io.eventlet.Eventlet;
import io.eventlet.GreenThread;
import io.eventlet.Hub;
import io.eventlet.net.GreenServerSocket;
import io.eventlet.net.GreenSocket;
import io.eventlet.net.StopServe;
import java.io.BufferedReader;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static io.eventlet.kit.OnHub.LOOPBACK;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Green sockets on one kind of hub: every behaviour of {@link GreenSocket} and
 * {@link GreenServerSocket}, and {@link Eventlet#serve}. After each test no file descriptor is
 * leaked ({@link NoFdLeaked}) and no green thread is left behind. One behaviour of the
 * conformance kit, a test interface that {@link HubConformance} implements.
 */
@ExtendWith(NoFdLeaked.class)
public interface GreenSocketBehaviour extends HubCases {
    private <T> T onHub(Callable<T> body) {
        return Hub.run(provider(), () -> {
            T r = body.call();
            // Everything the test spawned has ended: nothing is left parked on the hub.
            for (int i = 0; i < 100 && Hub.current().stats().greenThreads() > 1; i++) {
                Eventlet.sleep();
            }
            assertEquals(1, Hub.current().stats().greenThreads(), () -> "green threads left: " + Hub.current().greenThreads());
            return r;
        });
    }

    @Test
    default void echoesEveryByteBothWays() {
        byte[] data = new byte[256 * 1024];
        new Random(1).nextBytes(data);
        byte[] back = onHub(() -> {
            try (GreenServerSocket server = Eventlet.listen(LOOPBACK)) {
                GreenThread<Void> echo = Eventlet.spawn(() -> {
                    try (GreenSocket conn = server.accept()) {
                        ByteBuffer buf = ByteBuffer.allocate(8192);
                        while (conn.read(buf) >= 0) {
                            buf.flip();
                            conn.writeAll(buf);
                            buf.clear();
                        }
                    }
                    return null;
                });
                try (GreenSocket client = Eventlet.connect(server.localAddress())) {
                    GreenThread<Void> writer = Eventlet.spawn(() -> {
                        client.writeAll(data);
                        client.shutdownOutput();
                        return null;
                    });
                    byte[] got = new byte[data.length];
                    client.readFully(got);
                    assertEquals(-1, client.read(ByteBuffer.allocate(1)), "end of stream after the echo");
                    writer.join();
                    echo.join();
                    return got;
                }
            }
        });
        assertArrayEquals(data, back);
    }

    @Test
    default void streamsCarryLines() {
        List<String> got = onHub(() -> {
            try (GreenServerSocket server = Eventlet.listen(LOOPBACK)) {
                Eventlet.spawn(() -> {
                    try (GreenSocket conn = server.accept()) {
                        var in = new BufferedReader(new InputStreamReader(conn.inputStream(), StandardCharsets.UTF_8));
                        var out = new PrintWriter(new OutputStreamWriter(conn.outputStream(), StandardCharsets.UTF_8), true);
                        for (String line; (line = in.readLine()) != null; ) {
                            out.println(line.toUpperCase());
                        }
                    }
                    return null;
                });
                try (GreenSocket client = Eventlet.connect(server.localAddress())) {
                    var out = new PrintWriter(new OutputStreamWriter(client.outputStream(), StandardCharsets.UTF_8), true);
                    var in = new BufferedReader(new InputStreamReader(client.inputStream(), StandardCharsets.UTF_8));
                    List<String> lines = new ArrayList<>();
                    for (String w : List.of("green", "threads", "héllo")) {
                        out.println(w);
                        lines.add(in.readLine());
                    }
                    return lines;
                }
            }
        });
        assertEquals(List.of("GREEN", "THREADS", "HÉLLO"), got);
    }

    @Test
    default void readTimeoutRaisesAndTheSocketStaysUsable() {
        onHub(() -> {
            try (GreenServerSocket server = Eventlet.listen(LOOPBACK);
                 GreenSocket client = Eventlet.connect(server.localAddress());
                 GreenSocket conn = server.accept()) {
                client.setTimeout(Duration.ofMillis(50));
                SocketTimeoutException e = assertThrows(SocketTimeoutException.class, () -> client.read(ByteBuffer.allocate(10)));
                assertTrue(e.getMessage().contains("read"), e.getMessage());
                conn.writeAll(new byte[] {7});
                ByteBuffer one = ByteBuffer.allocate(1);
                assertEquals(1, client.read(one));
                assertEquals(7, one.get(0));
            }
            return null;
        });
    }

    /**
     * After a short read the next read waits before trying (the receive queue was empty); every
     * way data can arrive after that must still end the wait: while nobody waits and the hub polls,
     * before the hub polls at all, for a non-blocking read, and after a read timeout.
     */
    @Test
    default void aReadAfterAShortReadSeesWhateverArrivedSince() {
        onHub(() -> {
            try (GreenServerSocket server = Eventlet.listen(LOOPBACK);
                 GreenSocket client = Eventlet.connect(server.localAddress());
                 GreenSocket conn = server.accept()) {
                ByteBuffer buf = ByteBuffer.allocate(100);
                Eventlet.spawn(() -> {
                    client.writeAll(new byte[10]);
                    return null;
                });
                assertEquals(10, conn.read(buf), "the first read waits, then reads short");

                client.writeAll(new byte[] {1, 2, 3, 4, 5});
                for (int i = 0; i < 3; i++) {
                    Eventlet.sleep();   // the hub polls while nobody waits to read
                }
                buf.clear();
                assertEquals(5, conn.read(buf), "data reported while nobody waited");

                client.writeAll(new byte[7]);
                buf.clear();
                assertEquals(7, conn.read(buf), "data that arrived before the hub polled again");

                client.writeAll(new byte[3]);
                conn.setTimeout(Duration.ZERO);
                buf.clear();
                int tries = 0;
                while (buf.position() < 3 && tries++ < 100_000) {
                    if (conn.read(buf) == 0) {
                        Eventlet.sleep();
                    }
                }
                assertEquals(3, buf.position(), "a non-blocking read tries the socket");

                conn.setTimeout(Duration.ofMillis(30));
                buf.clear();
                assertThrows(SocketTimeoutException.class, () -> conn.read(buf));
                client.writeAll(new byte[] {9, 9});
                assertEquals(2, conn.read(buf), "a read after a timed-out one");
                assertEquals(9, buf.get(1));
            }
            return null;
        });
    }

    /**
     * A wait's timeout counts from the start of that wait, not from an earlier one: the hub keeps
     * one deadline timer per socket across waits, and a timer armed by an earlier wait fires
     * before a later wait's deadline; it must re-arm, not time the later wait out.
     */
    @Test
    default void aTimeoutCountsFromTheStartOfItsOwnWaitNotFromAnEarlierOne() {
        onHub(() -> {
            try (GreenServerSocket server = Eventlet.listen(LOOPBACK);
                 GreenSocket client = Eventlet.connect(server.localAddress());
                 GreenSocket conn = server.accept()) {
                conn.setTimeout(Duration.ofMillis(200));
                Eventlet.spawn(() -> {
                    for (int i = 0; i < 5; i++) {
                        Eventlet.sleep(Duration.ofMillis(30));   // paces the bytes: every read below waits
                        client.writeAll(new byte[] {(byte) i});
                    }
                    return null;
                });
                ByteBuffer one = ByteBuffer.allocate(1);
                for (int i = 0; i < 5; i++) {
                    one.clear();
                    assertEquals(1, conn.read(one), "a read that waited less than its timeout");
                }
                long start = System.nanoTime();
                one.clear();
                assertThrows(SocketTimeoutException.class, () -> conn.read(one));
                long waited = System.nanoTime() - start;
                assertTrue(waited >= Duration.ofMillis(200).toNanos(),
                        "timed out after " + waited / 1_000_000 + " ms, before its own 200 ms");
            }
            return null;
        });
    }

    /**
     * A read and a write waiting on one socket at once, with different deadlines (the timeout
     * changed between them): each times out at its own, the later-armed earlier deadline first.
     */
    @Test
    default void aReadAndAWriteWaitingTogetherEachTimeOutAtTheirOwnDeadline() {
        onHub(() -> {
            try (GreenServerSocket server = Eventlet.listen(LOOPBACK);
                 GreenSocket client = Eventlet.connect(server.localAddress());
                 GreenSocket conn = server.accept()) {
                client.setReceiveBufferSize(4096);
                conn.setSendBufferSize(4096);
                conn.setTimeout(Duration.ofMillis(300));
                long[] readEnded = {0};
                long readStart = System.nanoTime();
                GreenThread<Void> reader = Eventlet.spawn(() -> {
                    assertThrows(SocketTimeoutException.class, () -> conn.read(ByteBuffer.allocate(8)));
                    readEnded[0] = System.nanoTime();
                    return null;
                });
                Eventlet.sleep();   // the reader now waits, its deadline 300 ms out
                // Fill both buffers first, without waiting, so the timed write below stalls at
                // once: a write that still makes progress restarts its deadline with each wait,
                // and on a loaded machine the kernel moves bytes slowly enough that it did.
                conn.setTimeout(Duration.ZERO);
                ByteBuffer filler = ByteBuffer.allocate(64 << 10);
                while (conn.write(filler.clear()) > 0) {
                    // until the send buffer and the peer's receive buffer are full
                }
                conn.setTimeout(Duration.ofMillis(80));
                long writeStart = System.nanoTime();
                assertThrows(SocketTimeoutException.class, () -> conn.writeAll(ByteBuffer.allocate(32 << 20)),
                        "nobody reads: the buffers are full and the write waits");
                long writeEnded = System.nanoTime();
                reader.join();
                assertTrue(writeEnded - writeStart >= Duration.ofMillis(80).toNanos(), "the write waited its 80 ms");
                assertTrue(readEnded[0] - readStart >= Duration.ofMillis(300).toNanos(),
                        "the read waited its own 300 ms, not the write's: " + (readEnded[0] - readStart) / 1_000_000 + " ms");
                assertTrue(writeEnded < readEnded[0], "the earlier deadline came first: write " + (writeEnded - writeStart) / 1_000_000 + " ms, read " + (readEnded[0] - readStart) / 1_000_000);
            }
            return null;
        });
    }

    /**
     * {@link GreenSocket#awaitReadable}: after a read drained the socket it parks until bytes (or
     * the end of the stream) arrive, bounded by the socket's timeout, and reads nothing itself.
     */
    @Test
    default void awaitReadableParksAnIdleReaderUntilBytesComeAndReadsNothing() {
        onHub(() -> {
            try (GreenServerSocket server = Eventlet.listen(LOOPBACK);
                 GreenSocket client = Eventlet.connect(server.localAddress());
                 GreenSocket conn = server.accept()) {
                ByteBuffer buf = ByteBuffer.allocate(100);
                client.writeAll(new byte[] {1});
                assertEquals(1, conn.read(buf), "a short read: the receive queue is drained");

                boolean[] woke = {false};
                GreenThread<Void> waiter = Eventlet.spawn(() -> {
                    conn.awaitReadable();
                    woke[0] = true;
                    return null;
                });
                for (int i = 0; i < 3; i++) {
                    Eventlet.sleep();   // the waiter runs, parks, and the hub polls
                }
                assertFalse(woke[0], "nothing was sent: the reader still waits");
                client.writeAll(new byte[] {2, 3});
                waiter.join();
                assertTrue(woke[0]);
                buf.clear();
                assertEquals(2, conn.read(buf), "awaitReadable consumed nothing");
                assertEquals(3, buf.get(1));

                conn.setTimeout(Duration.ofMillis(30));
                assertThrows(SocketTimeoutException.class, conn::awaitReadable, "bounded by the socket's timeout");
                client.shutdownOutput();
                conn.setTimeout(Duration.ofSeconds(10));
                conn.awaitReadable();   // the end of the stream counts as readable
                buf.clear();
                assertEquals(-1, conn.read(buf));
            }
            return null;
        });
    }

    /**
     * A socket no read has waited on yet has no hint: {@link GreenSocket#awaitReadable} finds out
     * by waiting, which returns at once when bytes are already there and parks when none are.
     */
    @Test
    default void awaitReadableOnASocketThatNeverWaitedReturnsForBytesAlreadyThereAndParksOtherwise() {
        onHub(() -> {
            try (GreenServerSocket server = Eventlet.listen(LOOPBACK);
                 GreenSocket early = Eventlet.connect(server.localAddress());
                 GreenSocket quiet = Eventlet.connect(server.localAddress())) {
                early.writeAll(new byte[] {7, 8});
                try (GreenSocket a = server.accept(); GreenSocket b = server.accept()) {
                    GreenSocket withBytes = a.remoteAddress().equals(early.localAddress()) ? a : b;
                    GreenSocket without = withBytes == a ? b : a;
                    withBytes.setTimeout(Duration.ofSeconds(10));
                    withBytes.awaitReadable();
                    ByteBuffer buf = ByteBuffer.allocate(10);
                    assertEquals(2, withBytes.read(buf), "the bytes that came before any wait");

                    boolean[] woke = {false};
                    GreenThread<Void> waiter = Eventlet.spawn(() -> {
                        without.awaitReadable();
                        woke[0] = true;
                        return null;
                    });
                    for (int i = 0; i < 3; i++) {
                        Eventlet.sleep();
                    }
                    assertFalse(woke[0], "nothing sent on this one: it waits");
                    quiet.writeAll(new byte[] {1});
                    waiter.join();
                    assertTrue(woke[0]);
                }
            }
            return null;
        });
    }

    /**
     * The end of the stream that arrives with the last bytes: an edge-triggered poller reports
     * both in one edge, before the short read that takes the bytes, and no edge follows. The read
     * after it must still return -1 (the poller's {@code HANGUP} report), not wait for ever.
     */
    @Test
    default void theEndOfStreamThatCameWithTheLastBytesIsRead() {
        onHub(() -> {
            try (GreenServerSocket server = Eventlet.listen(LOOPBACK);
                 GreenSocket client = Eventlet.connect(server.localAddress());
                 GreenSocket conn = server.accept()) {
                conn.setTimeout(Duration.ofSeconds(10));   // a hang fails in 10 s, not at the test timeout
                ByteBuffer buf = ByteBuffer.allocate(100);
                Eventlet.spawn(() -> {
                    client.writeAll(new byte[1]);
                    return null;
                });
                assertEquals(1, conn.read(buf), "the first read waits, then reads short");
                client.writeAll(new byte[5]);
                client.shutdownOutput();
                for (int i = 0; i < 3; i++) {
                    Eventlet.sleep();   // the hub polls: data and end of stream, one report
                }
                buf.clear();
                assertEquals(5, conn.read(buf));
                assertEquals(-1, conn.read(buf), "then the end of the stream");
                assertEquals(-1, conn.read(buf), "and again");
            }
            return null;
        });
    }

    /**
     * Stress: a plain thread closes hundreds of sockets while their green threads, woken by the
     * peers' end of stream, close them too. The HTTP benchmark once hung this way on the selector
     * hub (a channel monitor the JDK handed to one of the hub's own green threads while the hub's
     * thread waited for it; see IoBinding.closeChannel). This test exercises the same race but
     * did not reproduce the hang reliably before the fix; the test's timeout is the failure.
     */
    @Test
    default void closingFromAPlainThreadWhileGreenThreadsCloseTooNeverHangs() throws Exception {
        Hub hub = Hub.start(provider());
        try (GreenServerSocket server = Eventlet.listen(LOOPBACK)) {
            for (int round = 0; round < 5; round++) {
                int n = 200;
                List<GreenSocket> accepted = new CopyOnWriteArrayList<>();
                java.util.concurrent.CountDownLatch ready = new java.util.concurrent.CountDownLatch(n);
                GreenThread<Void> acceptor = hub.spawn(() -> {
                    for (int i = 0; i < n; i++) {
                        GreenSocket c = server.accept();
                        accepted.add(c);
                        Eventlet.spawnN(() -> {
                            try (c) {
                                ready.countDown();
                                c.read(ByteBuffer.allocate(16));   // until the peer's end, or a close
                            } catch (IOException e) {
                                // closed under it: expected
                            }
                        });
                    }
                    return null;
                });
                List<java.net.Socket> clients = new ArrayList<>();
                InetSocketAddress at = (InetSocketAddress) server.localAddress();
                for (int i = 0; i < n; i++) {
                    clients.add(new java.net.Socket(at.getAddress(), at.getPort()));
                }
                acceptor.join();
                OnHub.await(ready, "readers");
                Thread closer = Thread.ofPlatform().start(() -> {
                    for (GreenSocket c : accepted) {
                        try {
                            c.close();
                        } catch (IOException e) {
                            // already closed by its green thread
                        }
                    }
                });
                for (java.net.Socket c : clients) {
                    c.close();
                }
                closer.join();
            }
        } finally {
            hub.close();
        }
    }

    @Test
    default void zeroTimeoutMakesTheSocketNonBlocking() {
        onHub(() -> {
            try (GreenServerSocket server = Eventlet.listen(LOOPBACK);
                 GreenSocket client = Eventlet.connect(server.localAddress());
                 GreenSocket conn = server.accept()) {
                client.setTimeout(Duration.ZERO);
                assertEquals(0, client.read(ByteBuffer.allocate(10)));
                assertThrows(IllegalStateException.class, () -> client.inputStream().read(new byte[1]));
                server.setTimeout(Duration.ZERO);
                assertNull(server.accept());
                assertThrows(IllegalArgumentException.class, () -> client.setTimeout(Duration.ofMillis(-1)));
            }
            return null;
        });
    }

    @Test
    default void closingWakesAWaitingReaderAtOnce() {
        onHub(() -> {
            try (GreenServerSocket server = Eventlet.listen(LOOPBACK);
                 GreenSocket client = Eventlet.connect(server.localAddress());
                 GreenSocket conn = server.accept()) {
                GreenThread<Integer> reader = Eventlet.spawn(() -> client.read(ByteBuffer.allocate(10)));
                Eventlet.sleep();                     // the reader is now waiting
                client.close();
                Throwable t = assertThrows(Throwable.class, reader::join);
                assertInstanceOf(AsynchronousCloseException.class, t.getCause() != null ? t.getCause() : t);
                String message = (t.getCause() != null ? t.getCause() : t).getMessage();
                assertTrue(message.contains("closed while"), message);
            }
            return null;
        });
    }

    @Test
    default void closingFromAPlainThreadWakesTheGreenReader() {
        onHub(() -> {
            try (GreenServerSocket server = Eventlet.listen(LOOPBACK);
                 GreenSocket client = Eventlet.connect(server.localAddress());
                 GreenSocket conn = server.accept()) {
                GreenThread<Integer> reader = Eventlet.spawn(() -> client.read(ByteBuffer.allocate(10)));
                Eventlet.sleep();
                Thread closer = Thread.ofPlatform().start(() -> {
                    try {
                        client.close();
                    } catch (IOException e) {
                        throw new RuntimeException(e);
                    }
                });
                Throwable t = assertThrows(Throwable.class, reader::join);
                assertInstanceOf(AsynchronousCloseException.class, t.getCause() != null ? t.getCause() : t);
                closer.join();
            }
            return null;
        });
    }

    @Test
    default void closingTheServerWakesAnAcceptor() {
        onHub(() -> {
            GreenServerSocket server = Eventlet.listen(LOOPBACK);
            GreenThread<GreenSocket> acceptor = Eventlet.spawn(server::accept);
            Eventlet.sleep();
            server.close();
            Throwable t = assertThrows(Throwable.class, acceptor::join);
            assertInstanceOf(AsynchronousCloseException.class, t.getCause() != null ? t.getCause() : t);
            assertFalse(server.isOpen());
            return null;
        });
    }

    @Test
    default void secondSimultaneousReaderIsRefusedWithTheSocketNamed() {
        onHub(() -> {
            try (GreenServerSocket server = Eventlet.listen(LOOPBACK);
                 GreenSocket client = Eventlet.connect(server.localAddress());
                 GreenSocket conn = server.accept()) {
                GreenThread<Integer> first = Eventlet.spawn(() -> client.read(ByteBuffer.allocate(10)));
                Eventlet.sleep();
                IllegalStateException e = assertThrows(IllegalStateException.class, () -> client.read(ByteBuffer.allocate(10)));
                assertTrue(e.getMessage().contains("second simultaneous read"), e.getMessage());
                assertTrue(e.getMessage().contains(client.channel().toString()), e.getMessage());
                conn.writeAll(new byte[] {1, 2});
                assertEquals(2, first.join());
            }
            return null;
        });
    }

    @Test
    default void halfCloseLetsThePeerFinishWriting() {
        onHub(() -> {
            try (GreenServerSocket server = Eventlet.listen(LOOPBACK);
                 GreenSocket client = Eventlet.connect(server.localAddress());
                 GreenSocket conn = server.accept()) {
                client.writeAll("question".getBytes(StandardCharsets.US_ASCII));
                client.shutdownOutput();
                byte[] q = conn.inputStream().readAllBytes();
                assertEquals("question", new String(q, StandardCharsets.US_ASCII));
                conn.writeAll("answer".getBytes(StandardCharsets.US_ASCII));
                conn.shutdownOutput();
                assertEquals("answer", new String(client.inputStream().readAllBytes(), StandardCharsets.US_ASCII));
            }
            return null;
        });
    }

    @Test
    default void readFullyReportsAnEarlyEnd() {
        onHub(() -> {
            try (GreenServerSocket server = Eventlet.listen(LOOPBACK);
                 GreenSocket client = Eventlet.connect(server.localAddress());
                 GreenSocket conn = server.accept()) {
                conn.writeAll(new byte[3]);
                conn.close();
                EOFException e = assertThrows(EOFException.class, () -> client.readFully(new byte[5]));
                assertTrue(e.getMessage().contains("2 bytes still expected"), e.getMessage());
            }
            return null;
        });
    }

    @Test
    default void connectToAClosedPortNamesTheAddress() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        onHub(() -> {
            ConnectException e = assertThrows(ConnectException.class,
                    () -> Eventlet.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), Duration.ofSeconds(5)));
            assertTrue(e.getMessage().contains(String.valueOf(port)), e.getMessage());
            return null;
        });
    }

    @Test
    default void connectResolvesHostNamesOffTheHub() {
        onHub(() -> {
            try (GreenServerSocket server = Eventlet.listen(new InetSocketAddress("localhost", 0))) {
                int port = ((InetSocketAddress) server.localAddress()).getPort();
                GreenThread<GreenSocket> accepted = Eventlet.spawn(server::accept);
                try (GreenSocket c = Eventlet.connect(InetSocketAddress.createUnresolved("localhost", port), Duration.ofSeconds(10))) {
                    assertTrue(((InetSocketAddress) c.remoteAddress()).getAddress().isLoopbackAddress());
                }
                accepted.join().close();
            }
            return null;
        });
    }

    @Test
    default void worksOverIpv6() throws Exception {
        InetAddress v6 = InetAddress.getByName("::1");
        org.junit.jupiter.api.Assumptions.assumeTrue(v6 instanceof Inet6Address && ipv6LoopbackUsable(), "no IPv6 loopback on this machine");
        onHub(() -> {
            try (GreenServerSocket server = Eventlet.listen(new InetSocketAddress(v6, 0));
                 GreenSocket client = Eventlet.connect(server.localAddress());
                 GreenSocket conn = server.accept()) {
                assertInstanceOf(Inet6Address.class, ((InetSocketAddress) conn.remoteAddress()).getAddress());
                client.writeAll(new byte[] {42});
                ByteBuffer b = ByteBuffer.allocate(1);
                conn.readFully(b);
                assertEquals(42, b.get(0));
            }
            return null;
        });
    }

    private static boolean ipv6LoopbackUsable() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("::1"))) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    default void unixDomainSocketsListenAndConnectOnAPath() throws Exception {
        Path dir = Files.createTempDirectory("eventlet-uds");
        Path path = dir.resolve("s.sock");
        try {
            onHub(() -> {
                try (GreenServerSocket server = Eventlet.listen(UnixDomainSocketAddress.of(path));
                     GreenSocket client = Eventlet.connect(UnixDomainSocketAddress.of(path));
                     GreenSocket conn = server.accept()) {
                    client.writeAll("over a path".getBytes(StandardCharsets.UTF_8));
                    client.shutdownOutput();
                    assertEquals("over a path", new String(conn.inputStream().readAllBytes(), StandardCharsets.UTF_8));
                }
                return null;
            });
        } finally {
            Files.deleteIfExists(path);
            Files.delete(dir);
        }
    }

    @Test
    default void optionsAreSetAndRead() {
        onHub(() -> {
            try (GreenServerSocket server = Eventlet.listen(LOOPBACK);
                 GreenSocket client = Eventlet.connect(server.localAddress());
                 GreenSocket conn = server.accept()) {
                client.setTcpNoDelay(true).setKeepAlive(true).setReceiveBufferSize(64 * 1024).setSendBufferSize(64 * 1024).setLinger(Duration.ofSeconds(1));
                assertTrue(client.getOption(java.net.StandardSocketOptions.TCP_NODELAY));
                assertTrue(client.getOption(java.net.StandardSocketOptions.SO_KEEPALIVE));
                assertEquals(1, client.getOption(java.net.StandardSocketOptions.SO_LINGER));
                assertTrue(server.channel().getOption(java.net.StandardSocketOptions.SO_REUSEADDR), "listen turns SO_REUSEADDR on");
                assertEquals(client.localAddress(), conn.remoteAddress());
                assertTrue(client.toString().contains(String.valueOf(((InetSocketAddress) server.localAddress()).getPort())), client.toString());
            }
            return null;
        });
    }

    @Test
    default void reusePortLetsTwoListenersShareAnAddress() {
        onHub(() -> {
            try (GreenServerSocket a = Eventlet.listen(LOOPBACK, 16, true)) {
                try (GreenServerSocket b = Eventlet.listen(a.localAddress(), 16, true)) {
                    assertEquals(a.localAddress(), b.localAddress());
                }
                assertThrows(java.net.BindException.class, () -> Eventlet.listen(a.localAddress(), 16, false).close());
            }
            return null;
        });
    }

    @Test
    default void plainThreadsUseGreenSocketsToo() throws Exception {
        try (GreenServerSocket server = Eventlet.listen(LOOPBACK);
             GreenSocket client = Eventlet.connect(server.localAddress());
             GreenSocket conn = server.accept()) {
            conn.setTimeout(Duration.ofMillis(30));
            assertThrows(SocketTimeoutException.class, () -> conn.read(ByteBuffer.allocate(1)));
            client.writeAll(new byte[] {5, 6});
            byte[] two = new byte[2];
            conn.readFully(two);
            assertArrayEquals(new byte[] {5, 6}, two);
        }
    }

    @Test
    default void serveHandlesEachConnectionInItsOwnGreenThreadAndClosesIt() {
        onHub(() -> {
            try (GreenServerSocket server = Eventlet.listen(LOOPBACK)) {
                GreenThread<Void> serving = Eventlet.spawn(() -> {
                    Eventlet.serve(server, conn -> {
                        int b = conn.inputStream().read();
                        if (b == 'q') {
                            throw new StopServe();
                        }
                        conn.writeAll(new byte[] {(byte) (b + 1)});
                    }, 10);
                    return null;
                });
                for (int i = 0; i < 3; i++) {
                    try (GreenSocket c = Eventlet.connect(server.localAddress())) {
                        c.writeAll(new byte[] {(byte) ('a' + i)});
                        assertEquals('b' + i, c.inputStream().read());
                        assertEquals(-1, c.inputStream().read(), "the handler's return closed the connection");
                    }
                }
                try (GreenSocket c = Eventlet.connect(server.localAddress())) {
                    c.writeAll(new byte[] {'q'});
                    serving.join();                           // StopServe made serve return
                }
                assertTrue(serving.isDone());
                assertTrue(server.isOpen(), "serve leaves the listening socket to its owner");
            }
            return null;
        });
    }

    @Test
    default void serveWithoutAConcurrencyHandlesConnectionsTogether() {
        onHub(() -> {
            try (GreenServerSocket server = Eventlet.listen(LOOPBACK)) {
                AtomicInteger inHandler = new AtomicInteger();
                GreenThread<Void> serving = Eventlet.spawn(() -> {
                    Eventlet.serve(server, conn -> {
                        inHandler.incrementAndGet();
                        int b = conn.inputStream().read();
                        if (b == 'q') {
                            throw new StopServe();
                        }
                        conn.writeAll(new byte[] {(byte) b});
                    });
                    return null;
                });
                List<GreenSocket> clients = new ArrayList<>();
                for (int i = 0; i < 20; i++) {
                    clients.add(Eventlet.connect(server.localAddress()));
                }
                while (inHandler.get() < 20) {
                    Eventlet.sleep();   // 20 handlers in at once: the default bound is not tiny
                }
                for (GreenSocket c : clients) {
                    c.writeAll(new byte[] {'x'});
                    assertEquals('x', c.inputStream().read());
                    c.close();
                }
                try (GreenSocket stop = Eventlet.connect(server.localAddress())) {
                    stop.writeAll(new byte[] {'q'});
                    serving.join();
                }
                assertEquals(1000, Eventlet.DEFAULT_CONCURRENCY, "eventlet's default");
            }
            return null;
        });
    }

    @Test
    default void serveReportsAHandlerErrorAndGoesOn() {
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        onHub(() -> {
            try (GreenServerSocket server = Eventlet.listen(LOOPBACK)) {
                GreenThread<Void> serving = Eventlet.spawn(() -> {
                    Eventlet.serve(server, conn -> {
                        int b = conn.inputStream().read();
                        if (b == 'x') {
                            throw new IllegalArgumentException("bad request");
                        }
                        if (b == 'q') {
                            throw new StopServe();
                        }
                        conn.writeAll(new byte[] {(byte) b});
                    }, 10, (conn, t) -> errors.add(t));
                    return null;
                });
                try (GreenSocket c = Eventlet.connect(server.localAddress())) {
                    c.writeAll(new byte[] {'x'});
                    assertEquals(-1, c.inputStream().read(), "a failed handler's connection is closed");
                }
                try (GreenSocket c = Eventlet.connect(server.localAddress())) {
                    c.writeAll(new byte[] {'y'});
                    assertEquals('y', c.inputStream().read(), "serving went on");
                }
                try (GreenSocket c = Eventlet.connect(server.localAddress())) {
                    c.writeAll(new byte[] {'q'});
                    serving.join();
                }
            }
            return null;
        });
        assertEquals(1, errors.size());
        assertEquals("bad request", errors.get(0).getMessage());
    }

    @Test
    default void serveWithConcurrencyFiveMakesTheSixthClientWait() {
        onHub(() -> {
            AtomicInteger started = new AtomicInteger();
            try (GreenServerSocket server = Eventlet.listen(LOOPBACK)) {
                GreenThread<Void> serving = Eventlet.spawn(() -> {
                    Eventlet.serve(server, conn -> {
                        started.incrementAndGet();
                        int b = conn.inputStream().read();    // held until its client speaks
                        if (b == 'q') {
                            throw new StopServe();
                        }
                        conn.writeAll(new byte[] {(byte) b});
                    }, 5);
                    return null;
                });
                List<GreenSocket> clients = new ArrayList<>();
                for (int i = 0; i < 6; i++) {
                    clients.add(Eventlet.connect(server.localAddress()));
                }
                for (int i = 0; i < 50 && started.get() < 5; i++) {
                    Eventlet.sleep();
                }
                assertEquals(5, started.get(), "five handlers run");
                GreenSocket sixth = clients.get(5);
                sixth.writeAll(new byte[] {'6'});
                sixth.setTimeout(Duration.ofMillis(200));
                assertThrows(SocketTimeoutException.class, () -> sixth.read(ByteBuffer.allocate(1)), "the sixth waits for a slot");
                assertEquals(5, started.get());
                GreenSocket first = clients.get(0);
                first.writeAll(new byte[] {'1'});
                assertEquals('1', first.inputStream().read());
                sixth.setTimeout(Duration.ofSeconds(10));
                assertEquals('6', sixth.inputStream().read(), "a slot freed: the sixth is served");
                assertEquals(6, started.get());
                for (int i = 1; i < 5; i++) {
                    clients.get(i).writeAll(new byte[] {'q'});
                }
                serving.join();
                for (GreenSocket c : clients) {
                    c.close();
                }
                // Handlers still reading their closed clients end now.
                for (int i = 0; i < 20; i++) {
                    Eventlet.sleep();
                }
            }
            return null;
        });
    }

    @Test
    default void multiHubServerSpreadsConnectionsOverItsHubs() throws Exception {
        java.util.Set<String> hubsSeen = java.util.concurrent.ConcurrentHashMap.newKeySet();
        try (io.eventlet.net.MultiHubServer server = io.eventlet.net.MultiHubServer.start(LOOPBACK, 2, 100, conn -> {
            String hub = Hub.current().name();
            hubsSeen.add(hub);
            int b;
            while ((b = conn.inputStream().read()) >= 0) {
                conn.outputStream().write((hub + ":" + (char) b + "\n").getBytes(StandardCharsets.UTF_8));
            }
        }, provider())) {
            assertEquals(2, server.hubs().size());
            List<String> hubNames = server.hubs().stream().map(Hub::name).toList();
            // Fifty connections from different ports: the kernel's hash puts some on each listener.
            List<GreenSocket> clients = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                clients.add(Eventlet.connect(server.address(), Duration.ofSeconds(10)));
            }
            for (GreenSocket c : clients) {
                var in = new BufferedReader(new InputStreamReader(c.inputStream(), StandardCharsets.UTF_8));
                c.writeAll(new byte[] {'x'});
                String first = in.readLine();
                c.writeAll(new byte[] {'y'});
                String second = in.readLine();
                String hub = first.substring(0, first.indexOf(':'));
                assertTrue(hubNames.contains(hub), first);
                assertEquals(hub + ":y", second, "a connection stays on the hub that accepted it");
                c.close();
            }
        }
        assertEquals(2, hubsSeen.size(), "both hubs served connections: " + hubsSeen);
    }

    @Test
    default void fiveThousandConcurrentConnectionsOnOneHubEchoEveryByte() throws Exception {
        int connections = 5_000;
        int bytesEach = 512;
        AtomicInteger live = new AtomicInteger();
        AtomicInteger peak = new AtomicInteger();
        Hub serverHub = Hub.start(provider());
        Hub clientHub = Hub.start(provider());
        // Both sides meet at a barrier: a client's connect completes in the kernel's backlog, so
        // only the handlers' own barrier proves every connection was served at the same time.
        java.util.concurrent.CountDownLatch allServed = new java.util.concurrent.CountDownLatch(connections);
        try (GreenServerSocket server = Eventlet.listen(LOOPBACK, 4096)) {
            GreenThread<Void> serving = serverHub.spawn(() -> {
                Eventlet.serve(server, conn -> {
                    peak.accumulateAndGet(live.incrementAndGet(), Math::max);
                    allServed.countDown();
                    allServed.await();
                    try {
                        ByteBuffer buf = ByteBuffer.allocate(1024);
                        while (conn.read(buf) >= 0) {
                            buf.flip();
                            conn.writeAll(buf);
                            buf.clear();
                        }
                    } finally {
                        live.decrementAndGet();
                    }
                }, connections * 2);
                return null;
            });
            java.util.concurrent.CountDownLatch allConnected = new java.util.concurrent.CountDownLatch(connections);
            List<GreenThread<Boolean>> clients = new ArrayList<>();
            for (int i = 0; i < connections; i++) {
                int id = i;
                clients.add(clientHub.spawn(() -> {
                    byte[] out = new byte[bytesEach];
                    new Random(id).nextBytes(out);
                    try (GreenSocket c = Eventlet.connect(server.localAddress(), Duration.ofSeconds(30))) {
                        allConnected.countDown();
                        allConnected.await();             // every connection is open at once
                        GreenThread<Void> writer = Eventlet.spawn(() -> {
                            c.writeAll(out);
                            c.shutdownOutput();
                            return null;
                        });
                        byte[] in = new byte[bytesEach];
                        c.readFully(in);
                        writer.join();
                        return java.util.Arrays.equals(out, in) && c.read(ByteBuffer.allocate(1)) == -1;
                    }
                }));
            }
            int ok = 0;
            for (GreenThread<Boolean> c : clients) {
                ok += c.join() ? 1 : 0;
            }
            assertEquals(connections, ok, "every connection echoed every byte");
            assertEquals(connections, peak.get(), "all connections were served at the same time, each by its own green thread");
            server.close();
            assertNull(serving.join(), "closing the listener from another hub's thread ends serve quietly");
        } finally {
            clientHub.close();
            serverHub.close();
        }
    }
}
