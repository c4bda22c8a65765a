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
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout.ThreadMode;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import static io.eventlet.kit.PollerCaseFixture.BOUND;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The {@link Poller} contract, checked against {@link HubProvider#open()} directly: the test
 * thread plays the hub's thread. Written once: one behaviour of the conformance kit, a test
 * interface that {@link HubConformance} implements.
 */
public interface PollerContract extends HubCases {
    /**
     * A case of this behaviour: on a separate thread, so a poll that never returns fails the case
     * instead of hanging the build (on the method: see {@link HubCases}). Each case opens its own
     * poller and pipe ({@link PollerCaseFixture}) and closes them when it ends.
     */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.METHOD)
    @Test
    @Timeout(value = 20, threadMode = ThreadMode.SEPARATE_THREAD)
    @interface PollerCase {}

    /**
     * Whether the poller honours {@link Poller.Registration#interest(int)}. The contract lets an
     * edge-triggered poller ignore it and report every edge; such a hub says so (false, through
     * {@link HubConformance#pollerHonoursInterest()}), and the tests of interest filtering are
     * then skipped (reported, not silent).
     */
    default boolean honoursInterest() {
        return true;
    }

    private static void write(SocketChannel c) throws IOException {
        assertEquals(1, c.write(ByteBuffer.wrap(new byte[] {7})));
    }

    @PollerCase
    default void zeroTimeoutWithNothingReadyReturnsZeroAtOnce() throws IOException {
        try (PollerCaseFixture f = new PollerCaseFixture(provider())) {
            f.registerSource(Poller.READ);
            assertEquals(1, f.poller.registrations());
            long start = System.nanoTime();
            assertEquals(0, f.poller.poll(0));
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(1), "poll(0) blocked");
            assertEquals(List.of(), f.reports);
        }
    }

    @PollerCase
    default void zeroTimeoutWithNoRegistrationsReturnsZero() throws IOException {
        try (PollerCaseFixture f = new PollerCaseFixture(provider())) {
            assertEquals(0, f.poller.registrations());
            assertEquals(0, f.poller.poll(0));
        }
    }

    @PollerCase
    default void readReadinessIsReportedAfterDataIsWritten() throws IOException {
        try (PollerCaseFixture f = new PollerCaseFixture(provider())) {
            f.registerSource(Poller.READ);
            assertEquals(0, f.poller.poll(0));
            f.writeByte();
            assertEquals(1, f.poller.poll(BOUND));
            assertEquals(1, f.reports.size(), f.reports::toString);
            assertEquals(Poller.READ, f.reports.get(0) & Poller.READ);
            assertEquals(0, f.reports.get(0) & Poller.WRITE, "the source cannot be written");
        }
    }

    @PollerCase
    default void readinessArrivingDuringAPollEndsIt() throws Exception {
        try (PollerCaseFixture f = new PollerCaseFixture(provider())) {
            f.registerSource(Poller.READ);
            CountDownLatch polling = new CountDownLatch(1);
            Thread writer = Thread.ofPlatform().start(() -> {
                try {
                    polling.await();
                    f.writeByte();
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            polling.countDown();
            assertEquals(1, f.poller.poll(-1));
            writer.join();
            assertEquals(Poller.READ, f.reports.get(0) & Poller.READ);
        }
    }

    @PollerCase
    default void writeReadinessIsReportedForAWritableSink() throws IOException {
        try (PollerCaseFixture f = new PollerCaseFixture(provider())) {
            f.poller.register(f.pipe.sink(), Poller.WRITE, f.reports::add);
            assertEquals(1, f.poller.poll(BOUND));
            assertEquals(List.of(Poller.WRITE), f.reports);
        }
    }

    @PollerCase
    default void registrationsCountsLiveRegistrations() throws IOException {
        try (PollerCaseFixture f = new PollerCaseFixture(provider())) {
            assertEquals(0, f.poller.registrations());
            Poller.Registration r = f.registerSource(Poller.READ);
            Poller.Registration w = f.poller.register(f.pipe.sink(), Poller.WRITE, f.reports::add);
            assertEquals(2, f.poller.registrations());
            r.cancel();
            assertEquals(1, f.poller.registrations());
            w.cancel();
            w.cancel();   // idempotent
            assertEquals(0, f.poller.registrations());
        }
    }

    @PollerCase
    default void interestZeroStopsReports() throws IOException {
        org.junit.jupiter.api.Assumptions.assumeTrue(honoursInterest(), "this poller is edge-triggered and may ignore interest");
        try (PollerCaseFixture f = new PollerCaseFixture(provider())) {
            Poller.Registration r = f.registerSource(Poller.READ);
            f.writeByte();
            assertEquals(1, f.poller.poll(BOUND));
            f.reports.clear();
            r.interest(0);
            assertEquals(0, f.poller.poll(TimeUnit.MILLISECONDS.toNanos(20)));
            assertEquals(List.of(), f.reports);
            r.interest(Poller.READ);   // and it can come back (the data is still there)
            assertEquals(1, f.poller.poll(BOUND));
            assertEquals(Poller.READ, f.reports.get(0) & Poller.READ);
        }
    }

    @PollerCase
    default void quietRegistrationReportsNothingUntilInterestIsSet() throws IOException {
        org.junit.jupiter.api.Assumptions.assumeTrue(honoursInterest(), "this poller is edge-triggered and may ignore interest");
        try (PollerCaseFixture f = new PollerCaseFixture(provider())) {
            Poller.Registration r = f.registerSource(0);
            f.writeByte();
            assertEquals(0, f.poller.poll(0));
            assertEquals(List.of(), f.reports);
            r.interest(Poller.READ);
            assertEquals(1, f.poller.poll(BOUND));
        }
    }

    @PollerCase
    default void cancelStopsReportsAndDropsTheRegistration() throws IOException {
        try (PollerCaseFixture f = new PollerCaseFixture(provider())) {
            Poller.Registration r = f.registerSource(Poller.READ);
            assertEquals(1, f.poller.registrations());
            f.writeByte();
            r.cancel();
            assertEquals(0, f.poller.registrations());
            assertEquals(0, f.poller.poll(TimeUnit.MILLISECONDS.toNanos(20)));
            assertEquals(List.of(), f.reports);
        }
    }

    @PollerCase
    default void aCancelledChannelCanBeRegisteredAgain() throws IOException {
        try (PollerCaseFixture f = new PollerCaseFixture(provider())) {
            f.registerSource(Poller.READ).cancel();
            f.registerSource(Poller.READ);
            f.writeByte();
            assertEquals(1, f.poller.poll(BOUND));
            assertEquals(1, f.poller.registrations());
            assertEquals(Poller.READ, f.reports.get(0) & Poller.READ);
        }
    }

    @PollerCase
    default void wakeupFromAnotherThreadEndsAnUnboundedPoll() throws Exception {
        try (PollerCaseFixture f = new PollerCaseFixture(provider())) {
            f.registerSource(Poller.READ);
            assertEquals(0, pollUnboundedWhileAnotherThreadWakes(f.poller));
            assertEquals(List.of(), f.reports);
        }
    }

    @PollerCase
    default void wakeupWithNoRegistrationsEndsAnUnboundedPoll() throws Exception {
        try (PollerCaseFixture f = new PollerCaseFixture(provider())) {
            assertEquals(0, pollUnboundedWhileAnotherThreadWakes(f.poller));
        }
    }

    /** poll(-1) while another thread calls wakeup(), before or during the poll: either way it must return. */
    private static int pollUnboundedWhileAnotherThreadWakes(Poller poller) throws Exception {
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
    default void positiveTimeoutWithNothingReadyWaitsAtLeastTheTimeout() throws IOException {
        try (PollerCaseFixture f = new PollerCaseFixture(provider())) {
            f.registerSource(Poller.READ);
            // Not a whole number of milliseconds: a poller must round up, never down.
            long timeout = TimeUnit.MILLISECONDS.toNanos(20) + 300_000;
            for (int i = 0; i < 3; i++) {
                long start = System.nanoTime();
                assertEquals(0, f.poller.poll(timeout));
                long elapsed = System.nanoTime() - start;
                assertTrue(elapsed >= timeout, "returned after " + elapsed + " ns, before the timeout of " + timeout + " ns");
            }
            assertEquals(List.of(), f.reports);
        }
    }

    @PollerCase
    default void subMillisecondTimeoutIsNotRoundedToZero() throws IOException {
        try (PollerCaseFixture f = new PollerCaseFixture(provider())) {
            f.registerSource(Poller.READ);
            long timeout = 200_000;
            long start = System.nanoTime();
            assertEquals(0, f.poller.poll(timeout));
            assertTrue(System.nanoTime() - start >= timeout);
        }
    }

    @PollerCase
    default void positiveTimeoutWithNoRegistrationsReturnsNoEarlierThanAsked() throws IOException {
        try (PollerCaseFixture f = new PollerCaseFixture(provider())) {
            for (long nanos : new long[] {1, 1_500_000, 25_000_000}) {
                long start = System.nanoTime();
                assertEquals(0, f.poller.poll(nanos));
                long took = System.nanoTime() - start;
                assertTrue(took >= nanos, "poll(" + nanos + ") returned after " + took + " ns");
            }
        }
    }

    @PollerCase
    default void wakeupBeforePollMakesTheNextPollReturnAndIsDrained() throws IOException {
        try (PollerCaseFixture f = new PollerCaseFixture(provider())) {
            f.poller.wakeup();
            f.poller.wakeup();   // coalesced with the first
            assertEquals(0, f.poller.poll(-1));
            long start = System.nanoTime();
            assertEquals(0, f.poller.poll(TimeUnit.MILLISECONDS.toNanos(30)));
            assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(30), "the wake-up was drained");
            f.poller.wakeup();   // and a later one is not swallowed by the drain
            assertEquals(0, f.poller.poll(-1));
        }
    }

    @PollerCase
    default void cancelInsideAListenerStopsAReportAlreadyCollected() throws IOException {
        try (PollerCaseFixture f = new PollerCaseFixture(provider())) {
            Pipe a = f.newPipe();
            Pipe b = f.newPipe();
            Poller.Registration[] regs = new Poller.Registration[2];
            AtomicInteger calls = new AtomicInteger();
            regs[0] = f.poller.register(a.source(), Poller.READ, ops -> {
                calls.incrementAndGet();
                regs[1].cancel();
            });
            regs[1] = f.poller.register(b.source(), Poller.READ, ops -> {
                calls.incrementAndGet();
                regs[0].cancel();
            });
            PollerFixture.writeByte(a);
            PollerFixture.writeByte(b);
            // Both are ready in one poll; whichever listener runs first cancels the other.
            assertEquals(1, f.poller.poll(BOUND));
            assertEquals(1, calls.get());
            assertEquals(1, f.poller.registrations());
        }
    }

    @PollerCase
    default void registeringAClosedChannelFails() throws IOException {
        try (PollerCaseFixture f = new PollerCaseFixture(provider())) {
            Pipe p = f.newPipe();
            p.source().close();
            assertThrows(ClosedChannelException.class, () -> f.poller.register(p.source(), Poller.READ, new ReadinessRecorder()));
            assertEquals(0, f.poller.registrations());
        }
    }

    @PollerCase
    default void cancellingAfterTheChannelWasClosedIsTolerated() throws IOException {
        try (PollerCaseFixture f = new PollerCaseFixture(provider())) {
            Pipe p = f.newPipe();
            int fd = ChannelFd.of(p.source());
            Poller.Registration reg = f.poller.register(p.source(), Poller.READ, new ReadinessRecorder());
            p.source().close();
            reg.cancel();   // epoll: EPOLL_CTL_DEL meets EBADF, closing already dropped the entry
            assertEquals(0, f.poller.registrations());
            // Lets a poller that defers the real close (the JDK's Selector) release the number.
            assertEquals(0, f.poller.poll(0));
            // The number is free for a new channel, which registers and reports as usual.
            Pipe reuse = f.pipeWhoseSourceIs(fd);
            ReadinessRecorder r = new ReadinessRecorder();
            f.poller.register(reuse.source(), Poller.READ, r);
            PollerFixture.writeByte(reuse);
            assertEquals(1, f.poller.poll(BOUND));
            assertEquals(Poller.READ, r.ops());
        }
    }

    @PollerCase
    default void aClosedDescriptorReusedByANewChannelDeliversOnlyTheNewChannelsReadiness() throws IOException {
        try (PollerCaseFixture f = new PollerCaseFixture(provider())) {
            Pipe old = f.newPipe();
            int fd = ChannelFd.of(old.source());
            ReadinessRecorder oldRecorder = new ReadinessRecorder();
            f.poller.register(old.source(), Poller.READ, oldRecorder);
            PollerFixture.writeByte(old);   // readable when it is closed
            old.source().close();   // and never cancelled
            // Lets a poller that defers the real close (the JDK's Selector) release the number; what
            // it reports for the closed channel, if anything, goes to the old listener.
            f.poller.poll(0);
            Pipe fresh = f.pipeWhoseSourceIs(fd);
            ReadinessRecorder freshRecorder = new ReadinessRecorder();
            Poller.Registration reg = f.poller.register(fresh.source(), Poller.READ, freshRecorder);
            assertEquals(0, f.poller.poll(TimeUnit.MILLISECONDS.toNanos(30)));
            assertEquals(0, freshRecorder.calls());
            PollerFixture.writeByte(fresh);
            assertTrue(f.poller.poll(BOUND) >= 1);
            assertEquals(Poller.READ, freshRecorder.ops());
            reg.cancel();
        }
    }

    @PollerCase
    default void onlyTheInterestIsReported() throws IOException {
        Assumptions.assumeTrue(honoursInterest(), "this poller is edge-triggered and may ignore interest");
        try (PollerCaseFixture f = new PollerCaseFixture(provider())) {
            SocketChannel[] pair = f.socketPair();
            write(pair[1]);
            ReadinessRecorder r = new ReadinessRecorder();
            Poller.Registration reg = f.poller.register(pair[0], Poller.WRITE, r);
            assertEquals(1, f.poller.poll(BOUND));
            assertEquals(Poller.WRITE, r.ops(), "readable too, but only WRITE was asked for");
            r.clear();
            reg.interest(Poller.READ | Poller.WRITE);
            assertEquals(1, f.poller.poll(BOUND));
            assertEquals(Poller.READ | Poller.WRITE, r.ops());
        }
    }

    @PollerCase
    default void noInterestSilencesAHangUp() throws IOException {
        Assumptions.assumeTrue(honoursInterest(), "this poller is edge-triggered and may ignore interest");
        try (PollerCaseFixture f = new PollerCaseFixture(provider())) {
            Pipe p = f.newPipe();
            ReadinessRecorder r = new ReadinessRecorder();
            Poller.Registration reg = f.poller.register(p.source(), Poller.READ, r);
            p.sink().close();
            assertEquals(1, f.poller.poll(BOUND));
            assertEquals(Poller.READ, r.ops());
            // A hang-up is reported whatever the interest says (poll(2) does so); with no interest it
            // must not be, or the hub would spin on it.
            reg.interest(0);
            assertEquals(0, f.poller.poll(0));
        }
    }

    @PollerCase
    default void aThousandSocketPairs() throws IOException {
        try (PollerCaseFixture f = new PollerCaseFixture(provider())) {
            int pairs = 1000;
            SocketChannel[][] sockets = new SocketChannel[pairs][];
            try (ServerSocketChannel server = ServerSocketChannel.open()) {
                server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), pairs);
                for (int i = 0; i < pairs; i++) {
                    sockets[i] = f.socketPair(server);
                }
            }
            ReadinessRecorder[] ra = new ReadinessRecorder[pairs];
            ReadinessRecorder[] rb = new ReadinessRecorder[pairs];
            List<Poller.Registration> regs = new ArrayList<>();
            for (int i = 0; i < pairs; i++) {
                regs.add(f.poller.register(sockets[i][0], Poller.WRITE, ra[i] = new ReadinessRecorder()));
                regs.add(f.poller.register(sockets[i][1], Poller.READ, rb[i] = new ReadinessRecorder()));
            }
            assertEquals(2 * pairs, f.poller.registrations());
            if (honoursInterest()) {
                assertEquals(pairs, f.poller.poll(BOUND), "every client is writable, no server side is readable");
            } else {
                // An edge-triggered poller may report more than it was asked for, and may need more
                // than one poll for a thousand edges: poll until every client's write edge came.
                long clientsReported = 0;
                while (clientsReported < pairs) {
                    int n = f.poller.poll(BOUND);
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
                f.poller.poll(BOUND);
                readable = 0;
                for (ReadinessRecorder r : rb) {
                    // A poller that honours interest reports READ alone: WRITE was never asked for.
                    readable += honoursInterest() ? (r.ops() == Poller.READ ? 1 : 0) : ((r.ops() & Poller.READ) != 0 ? 1 : 0);
                }
            }
            for (Poller.Registration r : regs) {
                r.cancel();
            }
            assertEquals(0, f.poller.registrations());
        }
    }

    @PollerCase
    default void closeIsIdempotentAndEndsEverything() throws IOException {
        try (PollerCaseFixture f = new PollerCaseFixture(provider())) {
            Poller.Registration reg = f.registerSource(Poller.READ);
            f.poller.close();
            f.poller.close();
            assertEquals(0, f.poller.registrations());
            f.poller.wakeup();   // never throws, even after close
            reg.cancel();      // and touches nothing that close released
            assertEquals(0, f.poller.registrations());
            assertThrows(ClosedSelectorException.class, () -> f.poller.poll(0));
            assertThrows(ClosedSelectorException.class, () -> f.poller.register(f.pipe.sink(), Poller.WRITE, new ReadinessRecorder()));
        }
    }

    @PollerCase
    @EnabledOnOs(OS.LINUX)
    default void openingAndClosingPollersLeaksNoDescriptor() throws IOException {
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
