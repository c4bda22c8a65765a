package io.eventlet.sync;

import io.eventlet.Eventlet;
import io.eventlet.GreenThread;
import io.eventlet.Hub;
import io.eventlet.Timeout;
import io.eventlet.hub.selector.SelectorHubProvider;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Semaphore, BoundedSemaphore, CappedSemaphore: eventlet's test_semaphore, fairness, hubs. */
class SemaphoreTest {
    private static <T> T onHub(java.util.concurrent.Callable<T> body) {
        return EventTest.onHub(body);
    }

    @Test
    void countsPermitsAndRefusesANegativeStart() {
        assertThrows(IllegalArgumentException.class, () -> new Semaphore(-1));
        onHub(() -> {
            Semaphore s = new Semaphore(2);
            s.acquire();
            assertTrue(s.tryAcquire());
            assertFalse(s.tryAcquire());
            assertTrue(s.locked());
            assertEquals(0, s.counter());
            s.release();
            assertEquals(1, s.balance());
            assertFalse(s.locked());
            return null;
        });
    }

    @Test
    void aNewcomerQueuesBehindAWaiterEvenWithAFreePermit() {
        onHub(() -> {
            Semaphore s = new Semaphore(0);
            List<String> order = new ArrayList<>();
            GreenThread<Void> first = Eventlet.spawn(() -> {
                s.acquire();
                order.add("first");
                return null;
            });
            Eventlet.sleep();
            s.release();   // goes to the waiter, not to the count
            assertFalse(s.tryAcquire(), "the released permit belongs to the waiter");
            assertEquals(0, s.counter());
            GreenThread<Void> second = Eventlet.spawn(() -> {
                s.acquire();
                order.add("second");
                return null;
            });
            first.join();
            s.release();
            second.join();
            assertEquals(List.of("first", "second"), order);
            return null;
        });
    }

    @Test
    void timedAcquireGivesUpAndLeavesNoWaiter() {
        onHub(() -> {
            Semaphore s = new Semaphore(0);
            assertFalse(s.acquire(Duration.ofMillis(10)));
            assertFalse(s.acquire(Duration.ZERO));
            assertEquals(0, s.waiting());
            assertEquals(0, s.balance());
            s.release();
            assertTrue(s.acquire(Duration.ofMillis(10)));
            return null;
        });
    }

    @Test
    void balanceIsNegativeByTheWaiters() {
        onHub(() -> {
            Semaphore s = new Semaphore(1);
            s.acquire();
            GreenThread<Void> a = Eventlet.spawn(() -> { s.acquire(); return null; });
            GreenThread<Void> b = Eventlet.spawn(() -> { s.acquire(); return null; });
            Eventlet.sleep();
            assertEquals(-2, s.balance());
            assertEquals(2, s.waiting());
            s.release();
            s.release();
            a.join();
            b.join();
            assertEquals(0, s.balance());
            return null;
        });
    }

    @Test
    void aPermitInTryWithResourcesIsReleasedOnce() {
        onHub(() -> {
            Semaphore s = new Semaphore(1);
            Semaphore.Permit p;
            try (Semaphore.Permit held = s.permit()) {
                p = held;
                assertEquals(0, s.counter());
            }
            assertEquals(1, s.counter());
            p.close();
            assertEquals(1, s.counter(), "a second close released again");
            return null;
        });
    }

    @Test
    void aBoundedSemaphoreRefusesAnExtraRelease() {
        onHub(() -> {
            BoundedSemaphore s = new BoundedSemaphore(1);
            IllegalStateException e = assertThrows(IllegalStateException.class, s::release);
            assertTrue(e.getMessage().contains("too many"), e.getMessage());
            assertEquals(1, s.counter());
            s.acquire();
            s.release();
            assertEquals(1, s.counter());
            return null;
        });
    }

    @Test
    void aTimeoutWhileWaitingTakesNoPermit() {
        onHub(() -> {
            Semaphore s = new Semaphore(0);
            try (Timeout t = Timeout.start(Duration.ofMillis(10))) {
                assertSame(t, assertThrows(Timeout.class, s::acquire));
            }
            assertEquals(0, s.waiting());
            s.release();
            assertEquals(1, s.counter());
            return null;
        });
    }

    @Test
    void aKilledWaiterPassesOnThePermitItWasGrantedInTheSameInstant() {
        onHub(() -> {
            Semaphore s = new Semaphore(0);
            GreenThread<Void> a = Eventlet.spawn(() -> { s.acquire(); return null; });
            GreenThread<Void> b = Eventlet.spawn(() -> { s.acquire(); return null; });
            Eventlet.sleep();
            s.release();      // granted to a, which has not run yet
            a.kill();         // a wakes with GreenThreadExit: the permit must go to b
            assertTrue(a.isDone());
            b.join();
            assertEquals(0, s.counter());
            assertEquals(0, s.waiting());
            return null;
        });
    }

    @Test
    void twoContendingWorkersShareWithinTenPercent() {
        int[] counts = onHub(() -> {
            Semaphore s = new Semaphore(1);
            int[] c = new int[2];
            AtomicInteger total = new AtomicInteger();
            List<GreenThread<Void>> workers = new ArrayList<>();
            for (int w = 0; w < 2; w++) {
                int me = w;
                workers.add(Eventlet.spawn(() -> {
                    while (total.get() < 2_000) {
                        s.acquire();
                        try {
                            c[me]++;
                            total.incrementAndGet();
                            Eventlet.sleep();   // hold the permit across a switch
                        } finally {
                            s.release();
                        }
                    }
                    return null;
                }));
            }
            for (GreenThread<Void> w : workers) {
                w.join();
            }
            return c;
        });
        int max = Math.max(counts[0], counts[1]);
        assertTrue(Math.abs(counts[0] - counts[1]) <= max / 10, counts[0] + " vs " + counts[1]);
    }

    /** Stress: mutual exclusion with users on two hubs and plain threads. */
    @Test
    void excludesAcrossHubsAndPlainThreads() throws Exception {
        Semaphore s = new Semaphore(1);
        int perUser = 5_000;
        int[] shared = {0};
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger overlaps = new AtomicInteger();
        java.util.concurrent.Callable<Void> user = () -> {
            for (int i = 0; i < perUser; i++) {
                s.acquire();
                try {
                    if (inside.incrementAndGet() != 1) {
                        overlaps.incrementAndGet();
                    }
                    shared[0]++;
                    inside.decrementAndGet();
                } finally {
                    s.release();
                }
            }
            return null;
        };
        Hub a = Hub.start(new SelectorHubProvider());
        Hub b = Hub.start(new SelectorHubProvider());
        try {
            List<GreenThread<Void>> greens = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                greens.add(a.spawn(user));
                greens.add(b.spawn(user));
            }
            List<Thread> plains = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                plains.add(Thread.ofPlatform().start(() -> {
                    try {
                        user.call();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }));
            }
            for (GreenThread<Void> g : greens) {
                g.join();
            }
            for (Thread t : plains) {
                t.join();
            }
        } finally {
            a.close();
            b.close();
        }
        assertEquals(0, overlaps.get());
        assertEquals(6 * perUser, shared[0]);
        assertEquals(1, s.counter());
    }

    @Test
    void aCappedSemaphoreBlocksBothWays() {
        assertThrows(IllegalArgumentException.class, () -> new CappedSemaphore(2, 1));
        onHub(() -> {
            CappedSemaphore s = new CappedSemaphore(0, 1);
            s.release();
            assertEquals(1, s.count());
            GreenThread<Void> releaser = Eventlet.spawn(() -> { s.release(); return null; });
            Eventlet.sleep();
            assertFalse(releaser.isDone(), "a release at the limit waits");
            assertEquals(2, s.balance(), "count 1 plus one waiting releaser");
            s.acquire();           // meets the waiting release: the count stays at the limit
            releaser.join();
            assertEquals(1, s.count());
            s.acquire();
            assertEquals(0, s.count());
            assertFalse(s.acquire(Duration.ofMillis(5)), "an acquire at 0 waits");
            assertTrue(s.locked());
            GreenThread<Void> acquirer = Eventlet.spawn(() -> { s.acquire(); return null; });
            Eventlet.sleep();
            assertEquals(-1, s.balance());
            s.release();
            acquirer.join();
            assertEquals(0, s.count());
            assertTrue(s.release(Duration.ZERO));
            assertFalse(s.release(Duration.ZERO));

            // An acquire granted and then abandoned, with the count already back at the limit:
            // undoing it would break the bound, so it stands; the count never leaves [0, limit].
            CappedSemaphore c = new CappedSemaphore(0, 1);
            GreenThread<Void> a = Eventlet.spawn(() -> { c.acquire(); return null; });
            Eventlet.sleep();
            c.release();                 // granted to a, which has not run
            c.release();                 // count 1
            GreenThread<Void> r3 = Eventlet.spawn(() -> { c.release(); return null; });
            Eventlet.sleep();
            a.kill();
            assertEquals(1, c.count());
            assertEquals(2, c.balance(), "r3 still waits to release");
            c.acquire();
            r3.join();
            assertEquals(1, c.count());
            return null;
        });
    }
}
