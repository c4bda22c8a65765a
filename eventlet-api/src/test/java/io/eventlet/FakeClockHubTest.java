package io.eventlet;

import io.eventlet.hub.selector.SelectorHubProvider;
import io.eventlet.internal.NanoClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The hub's timers on a manual clock: hours of hub time pass in no real time. After each step of
 * the clock a zero-delay probe timer wakes the hub; it is due at the new "now", so every timer due
 * by then fires before it, and when it has fired the step is fully observed.
 */
@org.junit.jupiter.api.Timeout(20)
class FakeClockHubTest {
    private final AtomicLong now = new AtomicLong(1_000_000);
    private final NanoClock clock = now::get;
    private final Hub hub = Hub.start(new SelectorHubProvider(), clock);
    private final List<String> fired = Collections.synchronizedList(new ArrayList<>());

    @AfterEach
    void closeHub() {
        hub.close();
    }

    private void advance(Duration d) throws InterruptedException {
        now.addAndGet(d.toNanos());
        CountDownLatch probe = new CountDownLatch(1);
        hub.schedule(Duration.ZERO, probe::countDown);
        assertTrue(probe.await(10, TimeUnit.SECONDS), "the hub did not turn");
    }

    private void record(Duration delay, String name) {
        hub.schedule(delay, () -> fired.add(name));
    }

    /**
     * A green thread's deadlines are read from its hub's clock (the one wait recipe's clock), so
     * a socket timed on a fake-clock hub is timed by the fake clock too; they wrap past
     * {@code Long.MAX_VALUE} and still compare by subtraction.
     */
    @Test
    void aGreenThreadsDeadlinesAreReadFromItsHubsClock() {
        now.set(Long.MAX_VALUE - 10);
        long[] seen = hub.spawn(() -> new long[] {
                io.eventlet.internal.Wait.now(),
                io.eventlet.internal.Wait.deadline(20),
                io.eventlet.internal.Wait.remaining(io.eventlet.internal.Wait.deadline(20))}).join();
        assertEquals(Long.MAX_VALUE - 10, seen[0]);
        assertEquals(Long.MAX_VALUE + 10, seen[1]);
        assertEquals(20, seen[2]);
    }

    @Test
    void timersFireInDeadlineOrderAsTheClockAdvances() throws Exception {
        record(Duration.ofHours(3), "c");
        record(Duration.ofHours(1), "a");
        record(Duration.ofHours(2), "b");
        advance(Duration.ZERO);
        assertEquals(List.of(), fired);
        advance(Duration.ofHours(1));
        assertEquals(List.of("a"), fired);
        advance(Duration.ofMinutes(90));
        assertEquals(List.of("a", "b"), fired);
        advance(Duration.ofHours(10));
        assertEquals(List.of("a", "b", "c"), fired);
    }

    /** Waits until {@code g} is parked (in this test: armed and waiting in a trampoline). */
    private static void awaitParked(GreenThread<?> g) {
        long bound = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (g.thread() == null || g.thread().getState() != Thread.State.WAITING) {
            assertTrue(System.nanoTime() < bound, "never parked: " + g);
            Thread.onSpinWait();
        }
    }

    /**
     * A read and a write waiting on one channel share one deadline timer. Their deadlines are
     * compared by subtraction: here the read's (5 s) lies past Long.MAX_VALUE and wraps negative,
     * the write's (1 s) does not; a plain comparison kept the read's timer for both, so the write
     * never timed out and the hub re-armed a due timer on every turn.
     */
    @Test
    void socketWaitDeadlinesSurviveTheClockWrappingPastLongMax() throws Exception {
        now.set(Long.MAX_VALUE - Duration.ofSeconds(3).toNanos());
        try (var server = java.nio.channels.ServerSocketChannel.open()
                .bind(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0));
             var channel = java.nio.channels.SocketChannel.open(server.getLocalAddress());
             var peer = server.accept()) {
            channel.setOption(java.net.StandardSocketOptions.SO_SNDBUF, 4096);
            peer.setOption(java.net.StandardSocketOptions.SO_RCVBUF, 4096);
            channel.configureBlocking(false);
            java.nio.ByteBuffer junk = java.nio.ByteBuffer.allocate(64 * 1024);
            while (channel.write(junk.clear()) > 0) {
                // fill the send buffer: a write would block now
            }
            GreenThread<String> reader = hub.spawn(() -> waitFor(channel, Interest.READ, Duration.ofSeconds(5)));
            awaitParked(reader);
            GreenThread<String> writer = hub.spawn(() -> waitFor(channel, Interest.WRITE, Duration.ofSeconds(1)));
            awaitParked(writer);
            advance(Duration.ofSeconds(1));
            assertEquals("timed out", writer.join(), "the write's second has passed");
            assertFalse(reader.isDone(), "the read has four seconds to go");
            advance(Duration.ofSeconds(4));   // the clock wraps past Long.MAX_VALUE
            assertEquals("timed out", reader.join());
        }
    }

    private static String waitFor(java.nio.channels.SelectableChannel channel, Interest interest, Duration timeout) throws Exception {
        try {
            Eventlet.trampoline(channel, interest, timeout);
            return "ready";
        } catch (java.net.SocketTimeoutException e) {
            return "timed out";
        }
    }

    @Test
    void timersWithTheSameDeadlineFireInSchedulingOrder() throws Exception {
        record(Duration.ofSeconds(5), "first");
        record(Duration.ofSeconds(4), "earlier");
        record(Duration.ofSeconds(5), "second");
        record(Duration.ofSeconds(5), "third");
        advance(Duration.ofSeconds(5));
        assertEquals(List.of("earlier", "first", "second", "third"), fired);
    }

    @Test
    void aTimerReschedulingItselfWithNoDelayDoesNotStarveTheLoop() throws Exception {
        // On a clock that does not move, "no delay" is due at once, every time: only deferring
        // timers scheduled by a firing callback to the next turn lets anything else run.
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong ticks = new AtomicLong();
        Runnable[] tick = new Runnable[1];
        tick[0] = () -> {
            ticks.incrementAndGet();
            if (!stop.get()) {
                hub.schedule(Duration.ZERO, tick[0]);
            }
        };
        hub.schedule(Duration.ZERO, tick[0]);
        GreenThread<Long> g = hub.spawn(() -> {
            Eventlet.sleep();
            stop.set(true);
            return ticks.get();
        });
        assertTrue(g.join() >= 1, "the green thread ran before the timer ever fired");
    }

    @Test
    void aCancelledTimerDoesNotFireWhenItsDeadlinePasses() throws Exception {
        Timer t = hub.schedule(Duration.ofMinutes(1), () -> fired.add("cancelled"));
        record(Duration.ofMinutes(2), "kept");
        assertTrue(t.cancel());
        advance(Duration.ofMinutes(5));
        assertEquals(List.of("kept"), fired);
    }

    @Test
    void aGreenSleepEndsWhenTheClockPassesItsDeadline() throws Exception {
        CountDownLatch sleeping = new CountDownLatch(1);
        GreenThread<Long> g = hub.spawn(() -> {
            sleeping.countDown();
            Eventlet.sleep(Duration.ofDays(1));
            return clock.nanoTime();
        });
        assertTrue(sleeping.await(10, TimeUnit.SECONDS));
        // The sleep reads the clock when it arms its timer; advancing before that moved its
        // deadline a day past the advance, and the join below waited for good.
        long bound = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (hub.stats().timers() == 0) {
            assertTrue(System.nanoTime() < bound, "the sleep never armed its timer");
            Thread.onSpinWait();
        }
        advance(Duration.ofHours(23));   // also lets the green thread reach its park
        assertFalse(g.isDone(), "woke an hour early");
        advance(Duration.ofHours(1));
        assertEquals(1_000_000 + Duration.ofDays(1).toNanos(), g.join());
    }

    @Test
    void spawnAfterStartsWhenTheClockPassesTheDelay() throws Exception {
        GreenThread<String> g = hub.spawnAfter(Duration.ofMinutes(10), () -> "started");
        advance(Duration.ofMinutes(9));
        assertFalse(g.isStarted());
        advance(Duration.ofMinutes(1));
        assertEquals("started", g.join());
    }

    @Test
    void aTimeoutIsRaisedWhenTheClockPassesIt() throws Exception {
        CountDownLatch armed = new CountDownLatch(1);
        GreenThread<Object> g = hub.spawn(() -> {
            Timeout timeout = Timeout.start(Duration.ofMinutes(5));
            armed.countDown();
            try {
                Eventlet.sleep(Duration.ofDays(1));
                return "slept";
            } catch (Timeout t) {
                return t == timeout ? "timed out" : t;
            } finally {
                timeout.cancel();
            }
        });
        assertTrue(armed.await(10, TimeUnit.SECONDS));
        advance(Duration.ofMinutes(4));
        assertFalse(g.isDone());
        advance(Duration.ofMinutes(1));
        assertSame("timed out", g.join());
    }
}
