package io.eventlet.hub.epoll;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import jnr.ffi.LibraryLoader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** The {@link Poller} contract, on pipes and sockets, against {@code new EpollHubProvider().open()}. */
@EnabledOnOs(OS.LINUX)
class EpollPollerTest {
    private Poller poller;
    private final List<SelectableChannel> channels = new ArrayList<>();

    @BeforeEach
    void open() throws IOException {
        poller = new EpollHubProvider().open();
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
    void readIsReportedAfterAWrite() throws IOException {
        Pipe p = pipe();
        Recorder r = new Recorder();
        poller.register(p.source(), 0, r).interest(Poller.READ);
        assertEquals(0, poller.poll(0));
        write(p);
        assertEquals(1, poller.poll(TimeUnit.SECONDS.toNanos(5)));
        assertEquals(1, r.calls);
        assertEquals(Poller.READ, r.ops);
    }

    @Test
    void writeIsReportedForAWritableSink() throws IOException {
        Pipe p = pipe();
        Recorder r = new Recorder();
        poller.register(p.sink(), Poller.WRITE, r);
        assertEquals(1, poller.poll(TimeUnit.SECONDS.toNanos(5)));
        assertEquals(Poller.WRITE, r.ops);
    }

    @Test
    void edgeTriggeredReportsEachNewArrivalOnce() throws IOException {
        Pipe p = pipe();
        Recorder r = new Recorder();
        poller.register(p.source(), Poller.READ, r);
        write(p);
        assertEquals(1, poller.poll(TimeUnit.SECONDS.toNanos(5)));
        // Unread data is not reported again (edge-triggered) ...
        assertEquals(0, poller.poll(0));
        // ... but more data is a new edge.
        write(p);
        assertEquals(1, poller.poll(TimeUnit.SECONDS.toNanos(5)));
        assertEquals(2, r.calls);
    }

    @Test
    void cancelStopsReportsAndDropsTheRegistration() throws IOException {
        Pipe p = pipe();
        Recorder r = new Recorder();
        Poller.Registration reg = poller.register(p.source(), Poller.READ, r);
        reg.cancel();
        reg.cancel();   // idempotent
        assertEquals(0, poller.registrations());
        write(p);
        assertEquals(0, poller.poll(TimeUnit.MILLISECONDS.toNanos(20)));
        assertEquals(0, r.calls);
        // The channel can be registered again afterwards.
        Recorder again = new Recorder();
        poller.register(p.source(), Poller.READ, again);
        assertEquals(1, poller.poll(TimeUnit.SECONDS.toNanos(5)));
        assertEquals(Poller.READ, again.ops);
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
        // Both events come from one epoll_wait; whichever listener runs first cancels the other.
        assertEquals(1, poller.poll(TimeUnit.SECONDS.toNanos(5)));
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
        assertEquals(-1, EpollPoller.timeoutMillis(-1));
        assertEquals(-1, EpollPoller.timeoutMillis(Long.MIN_VALUE));
        assertEquals(0, EpollPoller.timeoutMillis(0));
        assertEquals(1, EpollPoller.timeoutMillis(1));
        assertEquals(1, EpollPoller.timeoutMillis(1_000_000));
        assertEquals(2, EpollPoller.timeoutMillis(1_000_001));
        assertEquals(Integer.MAX_VALUE, EpollPoller.timeoutMillis(Long.MAX_VALUE));
    }

    /** dup(2), to keep a closed channel's open file description alive as a child process would. */
    public interface Dup {
        int dup(int fd);

        int close(int fd);
    }

    @Test
    void staleEventOfAClosedDescriptorIsNotDeliveredToTheChannelThatReusesItsNumber() throws IOException {
        Dup libc = LibraryLoader.create(Dup.class).load("c");
        Pipe old = pipe();
        int fd = ChannelFd.of(old.source());
        Recorder oldRecorder = new Recorder();
        poller.register(old.source(), Poller.READ, oldRecorder);
        // A second descriptor for the same pipe keeps the old epoll entry alive after close: epoll
        // drops an entry only when its file goes away, not when one descriptor of it is closed.
        int keepAlive = libc.dup(fd);
        assertTrue(keepAlive >= 0);
        try {
            old.source().close();
            Pipe fresh = pipeWhoseSourceIs(fd);
            Recorder freshRecorder = new Recorder();
            poller.register(fresh.source(), Poller.READ, freshRecorder);
            assertEquals(1, poller.registrations(), "the closed channel's registration was dropped");
            write(old);   // an edge on the old entry, reported with the old registration's data
            assertEquals(0, poller.poll(TimeUnit.MILLISECONDS.toNanos(50)));
            assertEquals(0, freshRecorder.calls);
            assertEquals(0, oldRecorder.calls);
            // The new channel's own readiness still arrives.
            write(fresh);
            assertEquals(1, poller.poll(TimeUnit.SECONDS.toNanos(5)));
            assertEquals(Poller.READ, freshRecorder.ops);
        } finally {
            libc.close(keepAlive);
        }
    }

    @Test
    void cancellingAfterTheChannelWasClosedIsTolerated() throws IOException {
        Pipe p = pipe();
        int fd = ChannelFd.of(p.source());
        Poller.Registration reg = poller.register(p.source(), Poller.READ, new Recorder());
        p.source().close();
        reg.cancel();   // EPOLL_CTL_DEL meets EBADF: closing already dropped the entry
        assertEquals(0, poller.registrations());
        // The number is free for a new channel, which registers and reports as usual.
        Pipe reuse = pipeWhoseSourceIs(fd);
        Recorder r = new Recorder();
        poller.register(reuse.source(), Poller.READ, r);
        write(reuse);
        assertEquals(1, poller.poll(TimeUnit.SECONDS.toNanos(5)));
        assertEquals(Poller.READ, r.ops);
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

    @Test
    void registeringTwiceNamesTheCallTheDescriptorAndErrno() throws IOException {
        Pipe p = pipe();
        poller.register(p.source(), Poller.READ, new Recorder());
        int fd = ChannelFd.of(p.source());
        ErrnoException e = assertThrows(ErrnoException.class, () -> poller.register(p.source(), Poller.READ, new Recorder()));
        assertTrue(e.getMessage().contains("epoll_ctl(") && e.getMessage().contains("EPOLL_CTL_ADD, fd " + fd)
                && e.getMessage().contains("errno 17 EEXIST: File exists"), e.getMessage());
        assertEquals(1, poller.registrations());
    }

    @Test
    void aThousandSocketPairs() throws IOException {
        int pairs = 1000;
        List<SocketChannel> a = new ArrayList<>();
        List<SocketChannel> b = new ArrayList<>();
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), pairs);
            for (int i = 0; i < pairs; i++) {
                SocketChannel client = SocketChannel.open(server.getLocalAddress());
                SocketChannel accepted = server.accept();
                client.configureBlocking(false);
                accepted.configureBlocking(false);
                channels.add(client);
                channels.add(accepted);
                a.add(client);
                b.add(accepted);
            }
        }
        Recorder[] ra = new Recorder[pairs];
        Recorder[] rb = new Recorder[pairs];
        List<Poller.Registration> regs = new ArrayList<>();
        for (int i = 0; i < pairs; i++) {
            regs.add(poller.register(a.get(i), Poller.WRITE, ra[i] = new Recorder()));
            regs.add(poller.register(b.get(i), Poller.READ, rb[i] = new Recorder()));
        }
        assertEquals(2 * pairs, poller.registrations());
        // Every socket starts writable: 2,000 edges, more than one epoll_wait holds.
        int reported = 0;
        while (reported < 2 * pairs) {
            int n = poller.poll(TimeUnit.SECONDS.toNanos(5));
            assertTrue(n > 0, "only " + reported + " reported");
            reported += n;
        }
        for (Recorder r : ra) {
            assertEquals(Poller.WRITE, r.ops);
        }
        for (Recorder r : rb) {
            r.clear();
        }
        for (SocketChannel c : a) {
            assertEquals(1, c.write(ByteBuffer.wrap(new byte[] {7})));
        }
        int readable = 0;
        while (readable < pairs) {
            poller.poll(TimeUnit.SECONDS.toNanos(5));
            readable = 0;
            for (Recorder r : rb) {
                readable += (r.ops & Poller.READ) != 0 ? 1 : 0;
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
        poller.close();
        poller.close();
        assertEquals(0, poller.registrations());
        poller.wakeup();   // never throws, even after close
        reg.cancel();      // no system call on a closed epoll fd
        assertThrows(ClosedSelectorException.class, () -> poller.poll(0));
        assertThrows(ClosedSelectorException.class, () -> poller.register(p.sink(), Poller.WRITE, new Recorder()));
        assertTrue(poller.toString().contains("epoll fd"));
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void openingAndClosingPollersLeaksNoDescriptor() throws IOException {
        new EpollHubProvider().open().close();   // warm-up: classes and libraries loaded, their files opened
        long before = openDescriptors();
        for (int i = 0; i < 100; i++) {
            Poller p = new EpollHubProvider().open();
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
