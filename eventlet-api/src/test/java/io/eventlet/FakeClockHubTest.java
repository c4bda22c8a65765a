package io.eventlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
