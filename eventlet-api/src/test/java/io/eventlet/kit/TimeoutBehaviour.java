package io.eventlet.kit;

import io.eventlet.Eventlet;
import io.eventlet.GreenThread;
import io.eventlet.Hub;
import io.eventlet.Timeout;
import java.io.IOException;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout.ThreadMode;

import static io.eventlet.kit.OnHub.LONG;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Eventlet's {@code Timeout} (test_timeout.py and the timeout parts of test_greenthread), written
 * once and run against every hub: one behaviour of the conformance kit, a test interface that
 * {@link HubConformance} implements.
 */
public interface TimeoutBehaviour extends HubCases {
    /** A case of this behaviour: bounded on a thread of its own (on the method: see {@link HubCases}). */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.METHOD)
    @Test
    @org.junit.jupiter.api.Timeout(value = 30, threadMode = ThreadMode.SEPARATE_THREAD)
    @interface TimeoutCase {}

    private <T> T run(Callable<T> main) {
        return Hub.run(provider(), main);
    }

    /** Holds the hub (no green suspend at all) until {@code d} has passed. */
    private static void spin(Duration d) {
        long until = System.nanoTime() + d.toNanos();
        while (System.nanoTime() < until) {
            Thread.onSpinWait();
        }
    }

    @TimeoutCase
    default void raisedAtTheCurrentBlockingPoint() {
        run(() -> {
            Timeout t = Timeout.start(Duration.ofMillis(10));
            long start = System.nanoTime();
            Timeout caught = assertThrows(Timeout.class, () -> Eventlet.sleep(LONG));
            assertSame(t, caught);
            assertTrue(System.nanoTime() - start >= Duration.ofMillis(10).toNanos(), "raised before its deadline");
            assertFalse(t.pending());
            return null;
        });
    }

    @TimeoutCase
    default void raisedStackIsTheBlockingPointNotTheStart() {
        run(() -> {
            Timeout t = Timeout.start(Duration.ofMillis(1));
            Timeout caught = assertThrows(Timeout.class, () -> Eventlet.sleep(LONG));
            assertSame(t, caught);
            assertTrue(Arrays.stream(caught.getStackTrace()).anyMatch(f -> f.getMethodName().equals("sleep")),
                    () -> Arrays.toString(caught.getStackTrace()));
            return null;
        });
    }

    @TimeoutCase
    default void expiryWhileHoldingTheHubIsRaisedAtTheNextBlockingPoint() {
        run(() -> {
            Timeout t = Timeout.start(Duration.ofMillis(1));
            spin(Duration.ofMillis(20));          // past the deadline, but no blocking point yet
            Thread.yield();                       // a JDK yield: the hub fires the timer, nothing is raised here
            assertFalse(t.pending(), "the timer should have fired during the yield");
            assertSame(t, assertThrows(Timeout.class, () -> Eventlet.sleep(Duration.ofMillis(1))));
            return null;
        });
    }

    @TimeoutCase
    default void cancelBeforeExpiryMeansNeverRaised() {
        run(() -> {
            Timeout t = Timeout.start(Duration.ofMillis(20));
            Eventlet.sleep();
            t.cancel();
            assertFalse(t.pending());
            Eventlet.sleep(Duration.ofMillis(60));   // well past the cancelled deadline
            t.cancel();                              // idempotent
            return null;
        });
    }

    @TimeoutCase
    default void pendingWhileArmedOnly() {
        run(() -> {
            Timeout armed = Timeout.start(LONG);
            assertTrue(armed.pending());
            armed.cancel();
            assertFalse(armed.pending());

            Timeout expiring = Timeout.start(Duration.ofMillis(5));
            assertTrue(expiring.pending());
            assertThrows(Timeout.class, () -> Eventlet.sleep(LONG));
            assertFalse(expiring.pending());

            Timeout never = Timeout.start(null);
            assertFalse(never.pending());
            assertNull(never.duration());
            never.cancel();
            return null;
        });
    }

    @TimeoutCase
    default void nullDurationNeverFires() {
        run(() -> {
            try (Timeout never = Timeout.start(null)) {
                Timeout guard = Timeout.start(Duration.ofMillis(50));   // proves time did pass
                assertSame(guard, assertThrows(Timeout.class, () -> Eventlet.sleep(LONG)));
                Eventlet.sleep();
                assertFalse(never.pending());
            }
            return null;
        });
    }

    @TimeoutCase
    default void farFutureDurationDoesNotFire() {
        run(() -> {
            for (Duration far : new Duration[] {Duration.ofSeconds(Long.MAX_VALUE), Duration.ofDays(365L * 300)}) {
                try (Timeout t = Timeout.start(far)) {
                    Eventlet.sleep(Duration.ofMillis(10));
                    assertTrue(t.pending(), far + " should still be pending");
                }
            }
            return null;
        });
    }

    @TimeoutCase
    default void farFutureTimeoutDoesNotHoldBackAnOverdueTimer() {
        run(() -> {
            GreenThread<String> sleeper = Eventlet.spawn(() -> {
                Eventlet.sleep(Duration.ofMillis(1));
                return "woke";
            });
            Eventlet.sleep();                     // the sleeper arms its 1 ms timer
            spin(Duration.ofMillis(10));          // that timer is now overdue, not yet fired
            try (Timeout far = Timeout.start(Duration.ofSeconds(Long.MAX_VALUE))) {
                assertEquals("woke", sleeper.join());
                assertTrue(far.pending());
            }
            return null;
        });
    }

    @TimeoutCase
    default void zeroDurationFiresAtTheNextBlockingPoint() {
        run(() -> {
            Timeout t = Timeout.start(Duration.ZERO);
            // Not raised by starting it, only by suspending.
            assertSame(t, assertThrows(Timeout.class, Eventlet::sleep));

            Timeout negative = Timeout.start(Duration.ofMillis(-5));
            assertSame(negative, assertThrows(Timeout.class, () -> Eventlet.sleep(LONG)));
            return null;
        });
    }

    @TimeoutCase
    default void customExceptionIsRaisedInstead() {
        run(() -> {
            IllegalStateException custom = new IllegalStateException("custom");
            Timeout t = Timeout.start(Duration.ofMillis(5), custom);
            assertSame(custom, assertThrows(IllegalStateException.class, () -> Eventlet.sleep(LONG)));
            assertSame(custom, t.raised());
            assertFalse(t.pending());
            return null;
        });
    }

    @TimeoutCase
    default void customCheckedExceptionIsRaisedInstead() {
        run(() -> {
            IOException custom = new IOException("custom checked");
            Timeout.start(Duration.ofMillis(5), custom);
            assertSame(custom, assertThrows(IOException.class, () -> Eventlet.sleep(LONG)));
            return null;
        });
    }

    @TimeoutCase
    default void timeoutIsNotCaughtByCatchException() {
        run(() -> {
            Timeout t = Timeout.start(Duration.ofMillis(5));
            Timeout caught = assertThrows(Timeout.class, () -> {
                try {
                    Eventlet.sleep(LONG);
                } catch (Exception e) {
                    fail("a Timeout must pass through catch (Exception): " + e);
                }
            });
            assertSame(t, caught);
            return null;
        });
    }

    @TimeoutCase
    default void nestedInnerFiresFirstOuterStaysPending() {
        run(() -> {
            try (Timeout outer = Timeout.start(LONG)) {
                Timeout inner = Timeout.start(Duration.ofMillis(10));
                try {
                    Eventlet.sleep(LONG);
                    fail("not raised");
                } catch (Timeout e) {
                    assertSame(inner, e);
                } finally {
                    inner.cancel();
                }
                assertTrue(outer.pending());
                Eventlet.sleep(Duration.ofMillis(5));   // the outer does not fire now
            }
            return null;
        });
    }

    @TimeoutCase
    default void nestedOuterFiresFirstPassesThroughTheInnerCatch() {
        run(() -> {
            Timeout outer = Timeout.start(Duration.ofMillis(10));
            AtomicBoolean innerCaughtItself = new AtomicBoolean();
            try {
                Timeout inner = Timeout.start(LONG);
                try {
                    Eventlet.sleep(LONG);
                } catch (Timeout e) {
                    if (e != inner) {
                        throw e;
                    }
                    innerCaughtItself.set(true);
                } finally {
                    inner.cancel();
                }
                fail("the outer timeout was swallowed");
            } catch (Timeout e) {
                assertSame(outer, e);
            }
            assertFalse(innerCaughtItself.get());
            return null;
        });
    }

    @TimeoutCase
    default void withTimeoutReturnsTheValueOnItsOwnTimeout() {
        run(() -> {
            long start = System.nanoTime();
            String r = Timeout.withTimeout(Duration.ofMillis(10), () -> {
                Eventlet.sleep(LONG);
                return "body";
            }, "timed out");
            assertEquals("timed out", r);
            assertTrue(System.nanoTime() - start < LONG.toNanos());
            return null;
        });
    }

    @TimeoutCase
    default void withTimeoutLetsAForeignTimeoutThrough() {
        run(() -> {
            Timeout outer = Timeout.start(Duration.ofMillis(10));
            Timeout caught = assertThrows(Timeout.class, () -> Timeout.withTimeout(LONG, () -> {
                Eventlet.sleep(LONG);
                return "body";
            }, "own timeout"));
            assertSame(outer, caught);
            return null;
        });
    }

    @TimeoutCase
    default void nestedWithTimeoutShorterOuterWins() {
        run(() -> {
            Timeout outer = Timeout.start(Duration.ofMillis(10));
            Timeout caught = assertThrows(Timeout.class, () -> Timeout.withTimeout(Duration.ofMillis(200),
                    () -> Timeout.withTimeout(LONG, () -> {
                        Eventlet.sleep(LONG);
                        return "body";
                    }, "innermost"), "middle"));
            assertSame(outer, caught);
            return null;
        });
    }

    @TimeoutCase
    default void withTimeoutReturnsTheBodyResultAndCancelsItsTimeout() {
        run(() -> {
            assertEquals("body", Timeout.withTimeout(Duration.ofMillis(20), () -> "body", "timed out"));
            Eventlet.sleep(Duration.ofMillis(60));   // its timer must not fire later
            return null;
        });
    }

    @TimeoutCase
    default void withTimeoutRethrowsTheBodyException() {
        run(() -> {
            IOException boom = new IOException("boom");
            assertSame(boom, assertThrows(IOException.class,
                    () -> Timeout.withTimeout(LONG, () -> { throw boom; }, "timed out")));
            return null;
        });
    }

    @TimeoutCase
    default void cancelAfterExpiryButBeforeRaisedWithdrawsIt() {
        run(() -> {
            Timeout t = Timeout.start(Duration.ofMillis(1));
            spin(Duration.ofMillis(20));
            Thread.yield();                       // the timer fires; the timeout is posted, not raised
            assertFalse(t.pending());
            t.cancel();
            Eventlet.sleep(Duration.ofMillis(5)); // nothing is raised
            Eventlet.sleep();
            return null;
        });
    }

    @TimeoutCase
    default void timeoutOfAnotherGreenThreadDoesNotReachThisOne() {
        run(() -> {
            GreenThread<Object> g = Eventlet.spawn(() -> {
                Timeout mine = Timeout.start(Duration.ofMillis(5));
                try {
                    Eventlet.sleep(LONG);
                    return "not raised";
                } catch (Timeout e) {
                    return e == mine ? "raised" : e;
                }
            });
            Eventlet.sleep(Duration.ofMillis(40));   // longer than g's timeout: nothing raised here
            assertEquals("raised", g.join());
            return null;
        });
    }

    @TimeoutCase
    default void expiryAfterItsThreadEndedHasNoEffect() {
        run(() -> {
            AtomicReference<Timeout> left = new AtomicReference<>();
            GreenThread<Integer> g = Eventlet.spawn(() -> {
                left.set(Timeout.start(Duration.ofMillis(5)));   // never cancelled
                return 1;
            });
            assertEquals(1, g.join());
            Eventlet.sleep(Duration.ofMillis(30));
            assertFalse(left.get().pending());
            return null;
        });
    }

    @TimeoutCase
    default void startFromAPlainThreadIsAnError() {
        var e = assertThrows(IllegalStateException.class, () -> Timeout.start(Duration.ofSeconds(1)));
        assertTrue(e.getMessage().contains("green thread"), e.getMessage());
    }

    @TimeoutCase
    default void startFromATimerCallbackIsAnError() {
        run(() -> {
            AtomicReference<Throwable> seen = new AtomicReference<>();
            Hub.current().schedule(Duration.ZERO, () -> {
                try {
                    Timeout.start(Duration.ofSeconds(1));
                } catch (Throwable e) {
                    seen.set(e);
                }
            });
            Eventlet.sleep(Duration.ofMillis(1));   // a later hub timer: the callback has run by then
            assertInstanceOf(IllegalStateException.class, seen.get());
            return null;
        });
    }

    @TimeoutCase
    default void tryWithResourcesCloseCancels() {
        run(() -> {
            Timeout t;
            try (Timeout scoped = Timeout.start(Duration.ofMillis(20))) {
                t = scoped;
                assertTrue(scoped.pending());
            }
            assertFalse(t.pending());
            Eventlet.sleep(Duration.ofMillis(60));
            return null;
        });
    }
}
