package io.eventlet.kit;

import io.eventlet.spi.ChannelFd;
import io.eventlet.spi.HubProvider;
import io.eventlet.spi.Poller;
import java.io.IOException;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.Pipe;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout.ThreadMode;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The {@link Poller} contract, checked against {@link HubProvider#open()} directly: the test
 * thread plays the hub's thread. Written once: one layer of the conformance kit, which a hub module
 * runs with a subclass of {@link HubConformance}.
 */
public abstract class PollerContract extends TrampolineBehaviour {
    private static final long BOUND = TimeUnit.SECONDS.toNanos(10);

    private PollerFixture fixture;
    private Poller poller;
    private Pipe pipe;
    private final List<Integer> reports = new ArrayList<>();

    /**
     * A case of this class: on a separate thread, so a poll that never returns fails the case
     * instead of hanging the build (on the method: see {@link HubCases}).
     */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.METHOD)
    @Test
    @Timeout(value = 20, threadMode = ThreadMode.SEPARATE_THREAD)
    private @interface PollerCase {}

    /**
     * Whether the poller honours {@link Poller.Registration#interest(int)}. The contract lets an
     * edge-triggered poller ignore it and report every edge; such a hub overrides this to false,
     * and the tests of interest filtering are then skipped (reported, not silent).
     */
    protected boolean honoursInterest() {
        return true;
    }

    @BeforeEach
    void open(TestInfo test) throws IOException {
        if (!isCaseOf(PollerContract.class, test)) {
            return;
        }
        fixture = new PollerFixture(provider());
        poller = fixture.poller;
        pipe = fixture.pipe();
    }

    @AfterEach
    void close(TestInfo test) throws IOException {
        if (!isCaseOf(PollerContract.class, test)) {
            return;
        }
        fixture.close();
    }

    private static void write(SocketChannel c) throws IOException {
        assertEquals(1, c.write(ByteBuffer.wrap(new byte[] {7})));
    }

    private SocketChannel[] socketPair(ServerSocketChannel server) throws IOException {
        SocketChannel client = SocketChannel.open(server.getLocalAddress());
        SocketChannel accepted = server.accept();
        fixture.keep(client);
        fixture.keep(accepted);
        client.configureBlocking(false);
        accepted.configureBlocking(false);
        return new SocketChannel[] {client, accepted};
    }

    private SocketChannel[] socketPair() throws IOException {
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return socketPair(server);
        }
    }

    private void writeByte() throws IOException {
        assertEquals(1, pipe.sink().write(ByteBuffer.wrap(new byte[] {42})));
    }

    private Poller.Registration registerSource(int ops) throws IOException {
        return poller.register(pipe.source(), ops, reports::add);
    }

    @PollerCase
    void zeroTimeoutWithNothingReadyReturnsZeroAtOnce() throws IOException {
        registerSource(Poller.READ);
        assertEquals(1, poller.registrations());
        long start = System.nanoTime();
        assertEquals(0, poller.poll(0));
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(1), "poll(0) blocked");
        assertEquals(List.of(), reports);
    }

    @PollerCase
    void zeroTimeoutWithNoRegistrationsReturnsZero() throws IOException {
        assertEquals(0, poller.registrations());
        assertEquals(0, poller.poll(0));
    }

    @PollerCase
    void readReadinessIsReportedAfterDataIsWritten() throws IOException {
        registerSource(Poller.READ);
        assertEquals(0, poller.poll(0));
        writeByte();
        assertEquals(1, poller.poll(BOUND));
        assertEquals(1, reports.size(), reports::toString);
        assertEquals(Poller.READ, reports.get(0) & Poller.READ);
        assertEquals(0, reports.get(0) & Poller.WRITE, "the source cannot be written");
    }

    @PollerCase
    void readinessArrivingDuringAPollEndsIt() throws Exception {
        registerSource(Poller.READ);
        CountDownLatch polling = new CountDownLatch(1);
        Thread writer = Thread.ofPlatform().start(() -> {
            try {
                polling.await();
                writeByte();
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        polling.countDown();
        assertEquals(1, poller.poll(-1));
        writer.join();
        assertEquals(Poller.READ, reports.get(0) & Poller.READ);
    }

    @PollerCase
    void writeReadinessIsReportedForAWritableSink() throws IOException {
        poller.register(pipe.sink(), Poller.WRITE, reports::add);
        assertEquals(1, poller.poll(BOUND));
        assertEquals(List.of(Poller.WRITE), reports);
    }

    @PollerCase
    void registrationsCountsLiveRegistrations() throws IOException {
        assertEquals(0, poller.registrations());
        Poller.Registration r = registerSource(Poller.READ);
        Poller.Registration w = poller.register(pipe.sink(), Poller.WRITE, reports::add);
        assertEquals(2, poller.registrations());
        r.cancel();
        assertEquals(1, poller.registrations());
        w.cancel();
        w.cancel();   // idempotent
        assertEquals(0, poller.registrations());
    }

    @PollerCase
    void interestZeroStopsReports() throws IOException {
        org.junit.jupiter.api.Assumptions.assumeTrue(honoursInterest(), "this poller is edge-triggered and may ignore interest");
        Poller.Registration r = registerSource(Poller.READ);
        writeByte();
        assertEquals(1, poller.poll(BOUND));
        reports.clear();
        r.interest(0);
        assertEquals(0, poller.poll(TimeUnit.MILLISECONDS.toNanos(20)));
        assertEquals(List.of(), reports);
        r.interest(Poller.READ);   // and it can come back (the data is still there)
        assertEquals(1, poller.poll(BOUND));
        assertEquals(Poller.READ, reports.get(0) & Poller.READ);
    }

    @PollerCase
    void quietRegistrationReportsNothingUntilInterestIsSet() throws IOException {
        org.junit.jupiter.api.Assumptions.assumeTrue(honoursInterest(), "this poller is edge-triggered and may ignore interest");
        Poller.Registration r = registerSource(0);
        writeByte();
        assertEquals(0, poller.poll(0));
        assertEquals(List.of(), reports);
        r.interest(Poller.READ);
        assertEquals(1, poller.poll(BOUND));
    }

    @PollerCase
    void cancelStopsReportsAndDropsTheRegistration() throws IOException {
        Poller.Registration r = registerSource(Poller.READ);
        assertEquals(1, poller.registrations());
        writeByte();
        r.cancel();
        assertEquals(0, poller.registrations());
        assertEquals(0, poller.poll(TimeUnit.MILLISECONDS.toNanos(20)));
        assertEquals(List.of(), reports);
    }

    @PollerCase
    void aCancelledChannelCanBeRegisteredAgain() throws IOException {
        registerSource(Poller.READ).cancel();
        registerSource(Poller.READ);
        writeByte();
        assertEquals(1, poller.poll(BOUND));
        assertEquals(1, poller.registrations());
        assertEquals(Poller.READ, reports.get(0) & Poller.READ);
    }

    @PollerCase
    void wakeupFromAnotherThreadEndsAnUnboundedPoll() throws Exception {
        registerSource(Poller.READ);
        assertEquals(0, pollUnboundedWhileAnotherThreadWakes());
        assertEquals(List.of(), reports);
    }

    @PollerCase
    void wakeupWithNoRegistrationsEndsAnUnboundedPoll() throws Exception {
        assertEquals(0, pollUnboundedWhileAnotherThreadWakes());
    }

    /** poll(-1) while another thread calls wakeup(), before or during the poll: either way it must return. */
    private int pollUnboundedWhileAnotherThreadWakes() throws Exception {
        CountDownLatch polling = new CountDownLatch(1);
        Thread waker = Thread.ofPlatform().start(() -> {
            try {
                polling.await();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            poller.wakeup();
        });
        polling.countDown();
        int n = poller.poll(-1);
        waker.join();
        return n;
    }

    @PollerCase
    void positiveTimeoutWithNothingReadyWaitsAtLeastTheTimeout() throws IOException {
        registerSource(Poller.READ);
        // Not a whole number of milliseconds: a poller must round up, never down.
        long timeout = TimeUnit.MILLISECONDS.toNanos(20) + 300_000;
        for (int i = 0; i < 3; i++) {
            long start = System.nanoTime();
            assertEquals(0, poller.poll(timeout));
            long elapsed = System.nanoTime() - start;
            assertTrue(elapsed >= timeout, "returned after " + elapsed + " ns, before the timeout of " + timeout + " ns");
        }
        assertEquals(List.of(), reports);
    }

    @PollerCase
    void subMillisecondTimeoutIsNotRoundedToZero() throws IOException {
        registerSource(Poller.READ);
        long timeout = 200_000;
        long start = System.nanoTime();
        assertEquals(0, poller.poll(timeout));
        assertTrue(System.nanoTime() - start >= timeout);
    }

    @PollerCase
    void positiveTimeoutWithNoRegistrationsReturnsNoEarlierThanAsked() throws IOException {
        for (long nanos : new long[] {1, 1_500_000, 25_000_000}) {
            long start = System.nanoTime();
            assertEquals(0, poller.poll(nanos));
            long took = System.nanoTime() - start;
            assertTrue(took >= nanos, "poll(" + nanos + ") returned after " + took + " ns");
        }
    }

    @PollerCase
    void wakeupBeforePollMakesTheNextPollReturnAndIsDrained() throws IOException {
        poller.wakeup();
        poller.wakeup();   // coalesced with the first
        assertEquals(0, poller.poll(-1));
        long start = System.nanoTime();
        assertEquals(0, poller.poll(TimeUnit.MILLISECONDS.toNanos(30)));
        assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(30), "the wake-up was drained");
        poller.wakeup();   // and a later one is not swallowed by the drain
        assertEquals(0, poller.poll(-1));
    }

    @PollerCase
    void cancelInsideAListenerStopsAReportAlreadyCollected() throws IOException {
        Pipe a = fixture.pipe();
        Pipe b = fixture.pipe();
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
        PollerFixture.writeByte(a);
        PollerFixture.writeByte(b);
        // Both are ready in one poll; whichever listener runs first cancels the other.
        assertEquals(1, poller.poll(BOUND));
        assertEquals(1, calls.get());
        assertEquals(1, poller.registrations());
    }

    @PollerCase
    void registeringAClosedChannelFails() throws IOException {
        Pipe p = fixture.pipe();
        p.source().close();
        assertThrows(ClosedChannelException.class, () -> poller.register(p.source(), Poller.READ, new ReadinessRecorder()));
        assertEquals(0, poller.registrations());
    }

    @PollerCase
    void cancellingAfterTheChannelWasClosedIsTolerated() throws IOException {
        Pipe p = fixture.pipe();
        int fd = ChannelFd.of(p.source());
        Poller.Registration reg = poller.register(p.source(), Poller.READ, new ReadinessRecorder());
        p.source().close();
        reg.cancel();   // epoll: EPOLL_CTL_DEL meets EBADF, closing already dropped the entry
        assertEquals(0, poller.registrations());
        // Lets a poller that defers the real close (the JDK's Selector) release the number.
        assertEquals(0, poller.poll(0));
        // The number is free for a new channel, which registers and reports as usual.
        Pipe reuse = fixture.pipeWhoseSourceIs(fd);
        ReadinessRecorder r = new ReadinessRecorder();
        poller.register(reuse.source(), Poller.READ, r);
        PollerFixture.writeByte(reuse);
        assertEquals(1, poller.poll(BOUND));
        assertEquals(Poller.READ, r.ops());
    }

    @PollerCase
    void aClosedDescriptorReusedByANewChannelDeliversOnlyTheNewChannelsReadiness() throws IOException {
        Pipe old = fixture.pipe();
        int fd = ChannelFd.of(old.source());
        ReadinessRecorder oldRecorder = new ReadinessRecorder();
        poller.register(old.source(), Poller.READ, oldRecorder);
        PollerFixture.writeByte(old);   // readable when it is closed
        old.source().close();   // and never cancelled
        // Lets a poller that defers the real close (the JDK's Selector) release the number; what
        // it reports for the closed channel, if anything, goes to the old listener.
        poller.poll(0);
        Pipe fresh = fixture.pipeWhoseSourceIs(fd);
        ReadinessRecorder freshRecorder = new ReadinessRecorder();
        Poller.Registration reg = poller.register(fresh.source(), Poller.READ, freshRecorder);
        assertEquals(0, poller.poll(TimeUnit.MILLISECONDS.toNanos(30)));
        assertEquals(0, freshRecorder.calls());
        PollerFixture.writeByte(fresh);
        assertTrue(poller.poll(BOUND) >= 1);
        assertEquals(Poller.READ, freshRecorder.ops());
        reg.cancel();
    }

    @PollerCase
    void onlyTheInterestIsReported() throws IOException {
        Assumptions.assumeTrue(honoursInterest(), "this poller is edge-triggered and may ignore interest");
        SocketChannel[] pair = socketPair();
        write(pair[1]);
        ReadinessRecorder r = new ReadinessRecorder();
        Poller.Registration reg = poller.register(pair[0], Poller.WRITE, r);
        assertEquals(1, poller.poll(BOUND));
        assertEquals(Poller.WRITE, r.ops(), "readable too, but only WRITE was asked for");
        r.clear();
        reg.interest(Poller.READ | Poller.WRITE);
        assertEquals(1, poller.poll(BOUND));
        assertEquals(Poller.READ | Poller.WRITE, r.ops());
    }

    @PollerCase
    void noInterestSilencesAHangUp() throws IOException {
        Assumptions.assumeTrue(honoursInterest(), "this poller is edge-triggered and may ignore interest");
        Pipe p = fixture.pipe();
        ReadinessRecorder r = new ReadinessRecorder();
        Poller.Registration reg = poller.register(p.source(), Poller.READ, r);
        p.sink().close();
        assertEquals(1, poller.poll(BOUND));
        assertEquals(Poller.READ, r.ops());
        // A hang-up is reported whatever the interest says (poll(2) does so); with no interest it
        // must not be, or the hub would spin on it.
        reg.interest(0);
        assertEquals(0, poller.poll(0));
    }

    @PollerCase
    void aThousandSocketPairs() throws IOException {
        int pairs = 1000;
        SocketChannel[][] sockets = new SocketChannel[pairs][];
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), pairs);
            for (int i = 0; i < pairs; i++) {
                sockets[i] = socketPair(server);
            }
        }
        ReadinessRecorder[] ra = new ReadinessRecorder[pairs];
        ReadinessRecorder[] rb = new ReadinessRecorder[pairs];
        List<Poller.Registration> regs = new ArrayList<>();
        for (int i = 0; i < pairs; i++) {
            regs.add(poller.register(sockets[i][0], Poller.WRITE, ra[i] = new ReadinessRecorder()));
            regs.add(poller.register(sockets[i][1], Poller.READ, rb[i] = new ReadinessRecorder()));
        }
        assertEquals(2 * pairs, poller.registrations());
        if (honoursInterest()) {
            assertEquals(pairs, poller.poll(BOUND), "every client is writable, no server side is readable");
        } else {
            // An edge-triggered poller may report more than it was asked for, and may need more
            // than one poll for a thousand edges: poll until every client's write edge came.
            long clientsReported = 0;
            while (clientsReported < pairs) {
                int n = poller.poll(BOUND);
                assertTrue(n > 0, "only " + clientsReported + " clients reported writable");
                clientsReported = java.util.Arrays.stream(ra).filter(r -> (r.ops() & Poller.WRITE) != 0).count();
            }
        }
        for (ReadinessRecorder r : ra) {
            assertEquals(Poller.WRITE, r.ops());
        }
        for (ReadinessRecorder r : rb) {
            r.clear();
        }
        for (SocketChannel[] pair : sockets) {
            write(pair[0]);
        }
        for (int i = 0; i < regs.size(); i += 2) {
            regs.get(i).interest(0);
        }
        int readable = 0;
        while (readable < pairs) {
            poller.poll(BOUND);
            readable = 0;
            for (ReadinessRecorder r : rb) {
                // A poller that honours interest reports READ alone: WRITE was never asked for.
                readable += honoursInterest() ? (r.ops() == Poller.READ ? 1 : 0) : ((r.ops() & Poller.READ) != 0 ? 1 : 0);
            }
        }
        for (Poller.Registration r : regs) {
            r.cancel();
        }
        assertEquals(0, poller.registrations());
    }

    @PollerCase
    void closeIsIdempotentAndEndsEverything() throws IOException {
        Poller.Registration reg = registerSource(Poller.READ);
        poller.close();
        poller.close();
        assertEquals(0, poller.registrations());
        poller.wakeup();   // never throws, even after close
        reg.cancel();      // and touches nothing that close released
        assertEquals(0, poller.registrations());
        assertThrows(ClosedSelectorException.class, () -> poller.poll(0));
        assertThrows(ClosedSelectorException.class, () -> poller.register(pipe.sink(), Poller.WRITE, new ReadinessRecorder()));
    }

    @PollerCase
    @EnabledOnOs(OS.LINUX)
    void openingAndClosingPollersLeaksNoDescriptor() throws IOException {
        provider().open().close();   // warm-up: classes and libraries loaded, their files opened
        long before = OpenFds.count();
        for (int i = 0; i < 100; i++) {
            Poller p = provider().open();
            p.wakeup();
            p.poll(0);
            p.close();
        }
        assertEquals(before, OpenFds.count());
    }
}
