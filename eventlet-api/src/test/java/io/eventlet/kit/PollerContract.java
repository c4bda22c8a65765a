package io.eventlet.kit;

import static org.junit.jupiter.api.Assertions.*;

import io.eventlet.spi.HubProvider;
import io.eventlet.spi.Poller;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.Timeout.ThreadMode;

/**
 * The {@link Poller} contract, checked against {@link HubProvider#open()} directly: the test
 * thread plays the hub's thread. Written once; a hub module runs it with a subclass that names its
 * provider.
 *
 * {@snippet :
 * class SelectorPollerContractTest extends PollerContract {
 *     protected HubProvider provider() { return new SelectorHubProvider(); }
 * }
 * }
 */
// A separate thread, so a poll that never returns fails the test instead of hanging the build.
@Timeout(value = 20, threadMode = ThreadMode.SEPARATE_THREAD)
public abstract class PollerContract {
    private static final long BOUND = TimeUnit.SECONDS.toNanos(10);

    private Poller poller;
    private Pipe pipe;
    private final List<Integer> reports = new ArrayList<>();

    /** The hub under test. */
    protected abstract HubProvider provider();

    /**
     * Whether the poller honours {@link Poller.Registration#interest(int)}. The contract lets an
     * edge-triggered poller ignore it and report every edge; such a hub overrides this to false,
     * and the tests of interest filtering are then skipped (reported, not silent).
     */
    protected boolean honoursInterest() {
        return true;
    }

    @BeforeEach
    void open() throws IOException {
        poller = provider().open();
        pipe = Pipe.open();
        pipe.source().configureBlocking(false);
        pipe.sink().configureBlocking(false);
    }

    @AfterEach
    void close() throws IOException {
        try {
            poller.close();
        } finally {
            pipe.source().close();
            pipe.sink().close();
        }
    }

    private void writeByte() throws IOException {
        assertEquals(1, pipe.sink().write(ByteBuffer.wrap(new byte[] {42})));
    }

    private Poller.Registration registerSource(int ops) throws IOException {
        return poller.register(pipe.source(), ops, reports::add);
    }

    @Test
    void zeroTimeoutWithNothingReadyReturnsZeroAtOnce() throws IOException {
        registerSource(Poller.READ);
        long start = System.nanoTime();
        assertEquals(0, poller.poll(0));
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(1), "poll(0) blocked");
        assertEquals(List.of(), reports);
    }

    @Test
    void zeroTimeoutWithNoRegistrationsReturnsZero() throws IOException {
        assertEquals(0, poller.registrations());
        assertEquals(0, poller.poll(0));
    }

    @Test
    void readReadinessIsReportedAfterDataIsWritten() throws IOException {
        registerSource(Poller.READ);
        assertEquals(0, poller.poll(0));
        writeByte();
        assertEquals(1, poller.poll(BOUND));
        assertEquals(1, reports.size(), reports::toString);
        assertEquals(Poller.READ, reports.get(0) & Poller.READ);
        assertEquals(0, reports.get(0) & Poller.WRITE, "the source cannot be written");
    }

    @Test
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

    @Test
    void writeReadinessIsReportedForAWritableSink() throws IOException {
        poller.register(pipe.sink(), Poller.WRITE, reports::add);
        assertEquals(1, poller.poll(BOUND));
        assertEquals(List.of(Poller.WRITE), reports);
    }

    @Test
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

    @Test
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

    @Test
    void quietRegistrationReportsNothingUntilInterestIsSet() throws IOException {
        org.junit.jupiter.api.Assumptions.assumeTrue(honoursInterest(), "this poller is edge-triggered and may ignore interest");
        Poller.Registration r = registerSource(0);
        writeByte();
        assertEquals(0, poller.poll(0));
        assertEquals(List.of(), reports);
        r.interest(Poller.READ);
        assertEquals(1, poller.poll(BOUND));
    }

    @Test
    void cancelStopsReportsAndDropsTheRegistration() throws IOException {
        Poller.Registration r = registerSource(Poller.READ);
        assertEquals(1, poller.registrations());
        writeByte();
        r.cancel();
        assertEquals(0, poller.registrations());
        assertEquals(0, poller.poll(TimeUnit.MILLISECONDS.toNanos(20)));
        assertEquals(List.of(), reports);
    }

    @Test
    void aCancelledChannelCanBeRegisteredAgain() throws IOException {
        registerSource(Poller.READ).cancel();
        registerSource(Poller.READ);
        writeByte();
        assertEquals(1, poller.poll(BOUND));
        assertEquals(1, poller.registrations());
        assertEquals(Poller.READ, reports.get(0) & Poller.READ);
    }

    @Test
    void wakeupFromAnotherThreadEndsAnUnboundedPoll() throws Exception {
        registerSource(Poller.READ);
        CountDownLatch polling = new CountDownLatch(1);
        Thread waker = Thread.ofPlatform().start(() -> {
            try {
                polling.await();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            // Before or during the poll: either way that poll must return.
            poller.wakeup();
        });
        polling.countDown();
        assertEquals(0, poller.poll(-1));
        waker.join();
        assertEquals(List.of(), reports);
    }

    @Test
    void wakeupWithNoRegistrationsEndsAnUnboundedPoll() throws Exception {
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
        assertEquals(0, poller.poll(-1));
        waker.join();
    }

    @Test
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

    @Test
    void subMillisecondTimeoutIsNotRoundedToZero() throws IOException {
        registerSource(Poller.READ);
        long timeout = 200_000;
        long start = System.nanoTime();
        assertEquals(0, poller.poll(timeout));
        assertTrue(System.nanoTime() - start >= timeout);
    }
}
