package io.eventlet.internal;

import io.eventlet.Eventlet;
import io.eventlet.GreenThread;
import io.eventlet.GreenThreadExit;
import io.eventlet.Hub;
import io.eventlet.Timeout;
import io.eventlet.hub.selector.SelectorHubProvider;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The one wait recipe: its clamp, its clock, and how green and plain callers wait. */
class WaitTest {
    @Test
    void durationsAreClampedOnceToAtMostAQuarterOfTheLongRange() {
        assertEquals(0, Wait.nanos(Duration.ofSeconds(-5)), "negative is now");
        assertEquals(0, Wait.nanos(Duration.ofSeconds(Long.MIN_VALUE)), "even when toNanos overflows");
        assertEquals(1_500_000, Wait.nanos(Duration.ofMillis(1).plusNanos(500_000)));
        assertEquals(Wait.MAX_NANOS, Wait.nanos(Duration.ofDays(365L * 100)), "a century is clamped");
        assertEquals(Wait.MAX_NANOS, Wait.nanos(Duration.ofSeconds(Long.MAX_VALUE)), "even when toNanos overflows");
        assertEquals(Wait.FOREVER, Wait.timeoutNanos(null));
        assertEquals(0, Wait.clamp(-1));
        assertEquals(Wait.MAX_NANOS, Wait.clamp(Long.MAX_VALUE));
    }

    @Test
    void aPlainThreadsDeadlineIsReadFromTheSystemClockAndForeverStaysForever() {
        assertEquals(Wait.FOREVER, Wait.deadline(Wait.FOREVER));
        assertEquals(Wait.FOREVER, Wait.remaining(Wait.FOREVER));
        long before = System.nanoTime();
        long d = Wait.deadline(1_000_000_000L);
        assertTrue(d - before >= 1_000_000_000L && d - System.nanoTime() <= 1_000_000_000L, "a plain thread reads the system clock");
        assertEquals(0, Wait.remaining(System.nanoTime() - 5), "a passed deadline leaves nothing");
    }

    @Test
    void aPlainWaitEndsWhenTheConditionHoldsOrTheTimeoutPasses() throws Exception {
        assertTrue(Wait.until(() -> true, 0, "nothing", Wait.Plain.INTERRUPTIBLE, "wait"), "a condition that holds needs no wait");
        assertFalse(Wait.until(() -> false, 0, "nothing", Wait.Plain.INTERRUPTIBLE, "wait"), "a zero timeout only looks");
        long start = System.nanoTime();
        assertFalse(Wait.until(() -> false, 20_000_000, "nothing", Wait.Plain.INTERRUPTIBLE, "wait"));
        assertTrue(System.nanoTime() - start >= 20_000_000, "the plain wait lasted its timeout");

        AtomicBoolean done = new AtomicBoolean();
        Thread waiter = Thread.currentThread();
        Thread setter = Thread.ofPlatform().start(() -> {
            done.set(true);
            java.util.concurrent.locks.LockSupport.unpark(waiter);
        });
        assertTrue(Wait.until(done::get, Wait.FOREVER, done, Wait.Plain.INTERRUPTIBLE, "wait"));
        setter.join();
    }

    @Test
    void anInterruptEndsAnInterruptibleWaitAndIsKeptByAnUninterruptibleOne() throws Exception {
        Thread.currentThread().interrupt();
        CancellationException e = assertThrows(CancellationException.class,
                () -> Wait.until(() -> false, Wait.FOREVER, "the moon", Wait.Plain.INTERRUPTIBLE, "wait"));
        assertTrue(e.getMessage().contains("the moon"), e.getMessage());
        assertTrue(Thread.interrupted(), "the interrupt status stays set");

        AtomicBoolean done = new AtomicBoolean();
        CompletableFuture<Boolean> result = new CompletableFuture<>();
        CountDownLatch interrupted = new CountDownLatch(1);
        Thread t = Thread.ofPlatform().start(() -> {
            Thread.currentThread().interrupt();
            interrupted.countDown();
            boolean ok = Wait.until(done::get, Wait.FOREVER, done, Wait.Plain.UNINTERRUPTIBLE, "join");
            result.complete(ok && Thread.currentThread().isInterrupted());
        });
        assertTrue(interrupted.await(10, TimeUnit.SECONDS));
        assertFalse(result.isDone(), "an interrupt does not end an uninterruptible wait");
        done.set(true);
        java.util.concurrent.locks.LockSupport.unpark(t);
        assertTrue(result.get(10, TimeUnit.SECONDS), "it ended when the condition held, the interrupt kept");
    }

    @Test
    void aGreenWaitTimesOutOnItsHubsTimerAndCleansItUp() {
        Hub hub = Hub.start(new SelectorHubProvider());
        try {
            GreenThread<Boolean> g = hub.spawn(() -> Wait.until(() -> false, 15_000_000, "nothing", Wait.Plain.INTERRUPTIBLE, "wait"));
            assertFalse(g.join(), "timed out");
            assertEquals(0, hub.stats().timers(), "its timer was cancelled or fired, not left behind");
        } finally {
            hub.close();
        }
    }

    @Test
    void aKillOrATimeoutEndsAGreenWait() {
        Eventlet.run(() -> {
            GreenThread<Boolean> victim = Eventlet.spawn(() -> Wait.until(() -> false, Wait.FOREVER, "nothing", Wait.Plain.INTERRUPTIBLE, "wait"));
            Eventlet.sleep();
            victim.kill();
            assertThrows(GreenThreadExit.class, victim::join);

            Timeout t = Timeout.start(Duration.ofMillis(5));
            Timeout raised = assertThrows(Timeout.class, () -> Wait.until(() -> false, Wait.FOREVER, "nothing", Wait.Plain.INTERRUPTIBLE, "wait"));
            assertSame(t, raised);
            assertTrue(raised.getStackTrace().length > 0, "raised with the stack of the blocking point");
            return null;
        });
    }

    @Test
    void aHubsOwnThreadMayNotWait() {
        Hub hub = Hub.start(new SelectorHubProvider());
        try {
            CompletableFuture<Throwable> seen = new CompletableFuture<>();
            hub.schedule(Duration.ZERO, () -> {
                try {
                    Wait.until(() -> false, 1, "nothing", Wait.Plain.INTERRUPTIBLE, "wait for nothing");
                    seen.complete(null);
                } catch (Throwable t) {
                    seen.complete(t);
                }
            });
            Throwable t = seen.join();
            assertTrue(t instanceof IllegalStateException && t.getMessage().contains("cannot wait for nothing on the thread of hub"), String.valueOf(t));
        } finally {
            hub.close();
        }
    }

    /** A green wait makes no error text, so it never runs the subject's {@code toString()} (user code, in a subclass). */
    @Test
    void aGreenWaitNeverCallsThePrimitivesToString() {
        Eventlet.run(() -> {
            io.eventlet.sync.Semaphore s = new io.eventlet.sync.Semaphore(0) {
                @Override
                public String toString() {
                    throw new IllegalStateException("toString called on the wait path");
                }
            };
            GreenThread<Boolean> waiter = Eventlet.spawn(() -> {
                s.acquire();
                return true;
            });
            Eventlet.sleep();   // the waiter now waits for a permit
            s.release();
            assertTrue(waiter.join());
            return null;
        });
    }

    /** An uninterruptible plain wait with the interrupt status set parks (it used to spin) and keeps the status. */
    @Test
    void anInterruptedPlainThreadWaitsUninterruptiblyWithoutSpinning() throws Exception {
        var mx = java.lang.management.ManagementFactory.getThreadMXBean();
        AtomicBoolean done = new AtomicBoolean();
        CompletableFuture<long[]> result = new CompletableFuture<>();
        java.util.concurrent.CountDownLatch waiting = new java.util.concurrent.CountDownLatch(1);
        Thread t = Thread.ofPlatform().start(() -> {
            Thread.currentThread().interrupt();
            long cpu = mx.getCurrentThreadCpuTime();
            long wall = System.nanoTime();
            waiting.countDown();   // the main thread's 300 ms start after this clock read
            Wait.until(done::get, Wait.FOREVER, done, Wait.Plain.UNINTERRUPTIBLE, "join");
            result.complete(new long[] {mx.getCurrentThreadCpuTime() - cpu, System.nanoTime() - wall,
                    Thread.currentThread().isInterrupted() ? 1 : 0});
        });
        // Let it wait a while: a spinning wait burns about as much CPU as wall time.
        assertTrue(waiting.await(10, TimeUnit.SECONDS));
        assertFalse(Wait.until(done::get, 300_000_000L, done, Wait.Plain.INTERRUPTIBLE, "wait"));
        done.set(true);
        java.util.concurrent.locks.LockSupport.unpark(t);
        long[] r = result.get(10, TimeUnit.SECONDS);
        assertTrue(r[1] >= 300_000_000L, "it waited");
        assertTrue(r[0] < r[1] / 3, "it parked rather than spun: " + r[0] / 1_000_000 + " ms CPU in " + r[1] / 1_000_000 + " ms");
        assertEquals(1, r[2], "the interrupt status is kept");
    }
}
