package io.eventlet.hub.poll;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eventlet.spi.ChannelFd;
import io.eventlet.spi.Poller;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.Pipe;
import java.nio.channels.SelectableChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** The {@link Poller} contract, on pipes and sockets, against {@code new PollHubProvider().open()}. */
@DisabledOnOs(OS.WINDOWS)
class PollPollerTest {
    private static final long FIVE_SECONDS = TimeUnit.SECONDS.toNanos(5);

    private Poller poller;
    private final List<SelectableChannel> channels = new ArrayList<>();

    @BeforeEach
    void open() throws IOException {
        poller = new PollHubProvider().open();
    }

    @AfterEach
    void close() throws IOException {
        poller.close();
        for (SelectableChannel c : channels) {
            c.close();
        }
    }

    /** Records what a registration was told. */
    static final class Recorder implements Poller.ReadinessListener {
        int calls;
        int ops;

        @Override
        public void ready(int readyOps) {
            assertTrue(readyOps != 0 && (readyOps & ~(Poller.READ | Poller.WRITE)) == 0, "ops " + readyOps);
            calls++;
            ops |= readyOps;
        }

        void clear() {
            calls = 0;
            ops = 0;
        }
    }

    private Pipe pipe() throws IOException {
        Pipe p = Pipe.open();
        p.source().configureBlocking(false);
        p.sink().configureBlocking(false);
        channels.add(p.source());
        channels.add(p.sink());
        return p;
    }

    private static void write(Pipe p) throws IOException {
        assertEquals(1, p.sink().write(ByteBuffer.wrap(new byte[] {42})));
    }

    @Test
    void zeroTimeoutPollReturnsZeroWhenNothingIsReady() throws IOException {
        Pipe p = pipe();
        Recorder r = new Recorder();
        poller.register(p.source(), Poller.READ, r);
        assertEquals(1, poller.registrations());
        assertEquals(0, poller.poll(0));
        assertEquals(0, r.calls);
    }

    @Test
    void readIsReportedAfterAWriteAndAgainUntilRead() throws IOException {
        Pipe p = pipe();
        Recorder r = new Recorder();
        Poller.Registration reg = poller.register(p.source(), 0, r);
        write(p);
        assertEquals(0, poller.poll(0), "no interest, no report");
        reg.interest(Poller.READ);
        assertEquals(1, poller.poll(FIVE_SECONDS));
        assertEquals(Poller.READ, r.ops);
        // Level-triggered: still readable, so reported again.
        assertEquals(1, poller.poll(0));
        assertEquals(2, r.calls);
        p.source().read(ByteBuffer.allocate(8));
        assertEquals(0, poller.poll(0));
    }

    @Test
    void writeIsReportedForAWritableSink() throws IOException {
        Pipe p = pipe();
        Recorder r = new Recorder();
        poller.register(p.sink(), Poller.WRITE, r);
        assertEquals(1, poller.poll(FIVE_SECONDS));
        assertEquals(Poller.WRITE, r.ops);
    }

    @Test
    void onlyTheInterestIsReported() throws IOException {
        SocketChannel[] pair = socketPair();
        write(pair[1]);
        Recorder r = new Recorder();
        Poller.Registration reg = poller.register(pair[0], Poller.WRITE, r);
        assertEquals(1, poller.poll(FIVE_SECONDS));
        assertEquals(Poller.WRITE, r.ops, "readable too, but only WRITE was asked for");
        r.clear();
        reg.interest(Poller.READ | Poller.WRITE);
        assertEquals(1, poller.poll(FIVE_SECONDS));
        assertEquals(Poller.READ | Poller.WRITE, r.ops);
    }

    @Test
    void noInterestSilencesAHangUp() throws IOException {
        Pipe p = pipe();
        Recorder r = new Recorder();
        Poller.Registration reg = poller.register(p.source(), Poller.READ, r);
        p.sink().close();
        assertEquals(1, poller.poll(FIVE_SECONDS));
        assertEquals(Poller.READ, r.ops);
        // poll reports a hang-up whatever events says; with no interest the element is skipped,
        // or the hub would spin on it.
        reg.interest(0);
        assertEquals(0, poller.poll(0));
    }

    @Test
    void cancelStopsReportsAndDropsTheRegistration() throws IOException {
        Pipe p = pipe();
        Recorder r = new Recorder();
        Poller.Registration reg = poller.register(p.source(), Poller.READ, r);
        reg.cancel();
        reg.cancel();   // idempotent
        reg.interest(Poller.READ);   // ignored once cancelled
        assertEquals(0, poller.registrations());
        write(p);
        assertEquals(0, poller.poll(TimeUnit.MILLISECONDS.toNanos(20)));
        assertEquals(0, r.calls);
        Recorder again = new Recorder();
        poller.register(p.source(), Poller.READ, again);
        assertEquals(1, poller.poll(FIVE_SECONDS));
        assertEquals(Poller.READ, again.ops);
    }

    @Test
    void cancellingMovesTheLastElementIntoTheHole() throws IOException {
        Pipe[] pipes = {pipe(), pipe(), pipe(), pipe()};
        Recorder[] rs = new Recorder[pipes.length];
        Poller.Registration[] regs = new Poller.Registration[pipes.length];
        for (int i = 0; i < pipes.length; i++) {
            regs[i] = poller.register(pipes[i].source(), Poller.READ, rs[i] = new Recorder());
        }
        regs[1].cancel();   // the last registration moves into element 2 (element 0 is the wake-up pipe)
        assertTrue(regs[3].toString().contains("element 2"), regs[3].toString());
        regs[3].interest(Poller.READ);   // writes the moved element, not its old place
        for (Pipe p : pipes) {
            write(p);
        }
        assertEquals(3, poller.poll(FIVE_SECONDS));
        assertEquals(List.of(1, 0, 1, 1), List.of(rs[0].calls, rs[1].calls, rs[2].calls, rs[3].calls));
        regs[3].cancel();   // the last one: nothing moves
        regs[0].cancel();
        assertEquals(1, poller.registrations());
        assertEquals(1, poller.poll(FIVE_SECONDS));
        assertEquals(2, rs[2].calls);
    }

    @Test
    void cancelInsideAListenerStopsAReportAlreadyCollected() throws IOException {
        Pipe a = pipe();
        Pipe b = pipe();
        Poller.Registration[] regs = new Poller.Registration[2];
        AtomicInteger calls = new AtomicInteger();
        regs[0] = poller.register(a.source(), Poller.READ, ops -> {
            calls.incrementAndGet();
            regs[1].cancel();
        });
        regs[1] = poller.register(b.source(), Poller.READ, ops -> {
            calls.incrementAndGet();
            regs[0].cancel();
        });
        write(a);
        write(b);
        assertEquals(1, poller.poll(FIVE_SECONDS));
        assertEquals(1, calls.get());
        assertEquals(1, poller.registrations());
    }

    @Test
    void wakeupFromAnotherThreadEndsAnUnboundedPoll() throws Exception {
        CountDownLatch polling = new CountDownLatch(1);
        Thread waker = Thread.ofPlatform().start(() -> {
            try {
                polling.await();
            } catch (InterruptedException e) {
                return;
            }
            // Whether this lands before or inside poll(-1), that poll must return.
            poller.wakeup();
        });
        polling.countDown();
        assertEquals(0, poller.poll(-1));
        waker.join();
    }

    @Test
    void wakeupBeforePollMakesTheNextPollReturnAndIsDrained() throws IOException {
        poller.wakeup();
        poller.wakeup();   // coalesced with the first
        assertEquals(0, poller.poll(-1));
        long start = System.nanoTime();
        assertEquals(0, poller.poll(TimeUnit.MILLISECONDS.toNanos(30)));
        assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(30), "the wake-up was drained");
        poller.wakeup();   // pending was reset by the drain
        assertEquals(0, poller.poll(-1));
    }

    @Test
    void positiveTimeoutReturnsNoEarlierThanAsked() throws IOException {
        for (long nanos : new long[] {1, 1_500_000, 25_000_000}) {
            long start = System.nanoTime();
            assertEquals(0, poller.poll(nanos));
            long took = System.nanoTime() - start;
            assertTrue(took >= nanos, "poll(" + nanos + ") returned after " + took + " ns");
        }
    }

    @Test
    void timeoutsAreRoundedUpToMilliseconds() {
        assertEquals(-1, PollPoller.timeoutMillis(-1));
        assertEquals(0, PollPoller.timeoutMillis(0));
        assertEquals(1, PollPoller.timeoutMillis(1));
        assertEquals(1, PollPoller.timeoutMillis(1_000_000));
        assertEquals(2, PollPoller.timeoutMillis(1_000_001));
        assertEquals(Integer.MAX_VALUE, PollPoller.timeoutMillis(Long.MAX_VALUE));
    }

    @Test
    void aClosedDescriptorReusedByANewChannelDeliversOnlyTheNewChannelsReadiness() throws IOException {
        Pipe old = pipe();
        int fd = ChannelFd.of(old.source());
        Recorder oldRecorder = new Recorder();
        poller.register(old.source(), Poller.READ, oldRecorder);
        write(old);   // readable when it is closed
        old.source().close();   // and never cancelled
        Pipe fresh = pipeWhoseSourceIs(fd);
        Recorder freshRecorder = new Recorder();
        Poller.Registration reg = poller.register(fresh.source(), Poller.READ, freshRecorder);
        assertEquals(0, poller.poll(TimeUnit.MILLISECONDS.toNanos(30)));
        assertEquals(0, freshRecorder.calls);
        write(fresh);
        assertTrue(poller.poll(FIVE_SECONDS) >= 1);
        assertEquals(Poller.READ, freshRecorder.ops);
        reg.cancel();
    }

    /** Opens pipes until one's source has descriptor {@code fd} (the kernel hands out the lowest free number). */
    private Pipe pipeWhoseSourceIs(int fd) throws IOException {
        for (int attempt = 0; attempt < 100; attempt++) {
            Pipe p = pipe();
            if (ChannelFd.of(p.source()) == fd) {
                return p;
            }
        }
        throw new AssertionError("no pipe reused descriptor " + fd);
    }

    @Test
    void registeringAClosedChannelFails() throws IOException {
        Pipe p = pipe();
        p.source().close();
        assertThrows(ClosedChannelException.class, () -> poller.register(p.source(), Poller.READ, new Recorder()));
        assertEquals(0, poller.registrations());
    }

    private SocketChannel[] socketPair() throws IOException {
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return socketPair(server);
        }
    }

    private SocketChannel[] socketPair(ServerSocketChannel server) throws IOException {
        SocketChannel client = SocketChannel.open(server.getLocalAddress());
        SocketChannel accepted = server.accept();
        client.configureBlocking(false);
        accepted.configureBlocking(false);
        channels.add(client);
        channels.add(accepted);
        return new SocketChannel[] {client, accepted};
    }

    private static void write(SocketChannel c) throws IOException {
        assertEquals(1, c.write(ByteBuffer.wrap(new byte[] {7})));
    }

    @Test
    void aThousandSocketPairs() throws IOException {
        int pairs = 1000;
        SocketChannel[][] sockets = new SocketChannel[pairs][];
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), pairs);
            for (int i = 0; i < pairs; i++) {
                sockets[i] = socketPair(server);
            }
        }
        Recorder[] ra = new Recorder[pairs];
        Recorder[] rb = new Recorder[pairs];
        List<Poller.Registration> regs = new ArrayList<>();
        for (int i = 0; i < pairs; i++) {
            regs.add(poller.register(sockets[i][0], Poller.WRITE, ra[i] = new Recorder()));
            regs.add(poller.register(sockets[i][1], Poller.READ, rb[i] = new Recorder()));
        }
        assertEquals(2 * pairs, poller.registrations());
        assertEquals(pairs, poller.poll(FIVE_SECONDS), "every client is writable, no server side is readable");
        for (SocketChannel[] pair : sockets) {
            write(pair[0]);
        }
        for (int i = 0; i < regs.size(); i += 2) {
            regs.get(i).interest(0);
        }
        int readable = 0;
        while (readable < pairs) {
            poller.poll(FIVE_SECONDS);
            readable = 0;
            for (Recorder r : rb) {
                readable += r.ops == Poller.READ ? 1 : 0;
            }
        }
        for (Poller.Registration r : regs) {
            r.cancel();
        }
        assertEquals(0, poller.registrations());
    }

    @Test
    void closeIsIdempotentAndEndsEverything() throws IOException {
        Pipe p = pipe();
        Poller.Registration reg = poller.register(p.source(), Poller.READ, new Recorder());
        assertTrue(poller.toString().contains("1 registrations"), poller.toString());
        poller.close();
        poller.close();
        assertEquals(0, poller.registrations());
        poller.wakeup();   // never throws, even after close
        reg.cancel();
        assertThrows(ClosedSelectorException.class, () -> poller.poll(0));
        assertThrows(ClosedSelectorException.class, () -> poller.register(p.sink(), Poller.WRITE, new Recorder()));
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void openingAndClosingPollersLeaksNoDescriptor() throws IOException {
        new PollHubProvider().open().close();   // warm-up: classes and libraries loaded, their files opened
        long before = openDescriptors();
        for (int i = 0; i < 100; i++) {
            Poller p = new PollHubProvider().open();
            p.wakeup();
            p.poll(0);
            p.close();
        }
        assertEquals(before, openDescriptors());
    }

    private static long openDescriptors() throws IOException {
        try (var fds = java.nio.file.Files.list(java.nio.file.Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }
}
