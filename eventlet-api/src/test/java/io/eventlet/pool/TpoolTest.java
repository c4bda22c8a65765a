package io.eventlet.pool;

import io.eventlet.Eventlet;
import io.eventlet.GreenThread;
import io.eventlet.Hub;
import io.eventlet.Timeout;
import io.eventlet.hub.selector.SelectorHubProvider;
import io.eventlet.kit.ChildJvm;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Tpool: blocking work off the hub, with only the calling green thread waiting. */
class TpoolTest {
    private static <T> T onHub(java.util.concurrent.Callable<T> body) {
        return Hub.run(new SelectorHubProvider(), body);
    }

    @Test
    void runsOnAPoolThreadAndReturnsTheResult() {
        String name = onHub(() -> Tpool.execute(() -> Thread.currentThread().getName()));
        assertTrue(name.startsWith("eventlet-tpool-"), name);
    }

    @Test
    void theHubKeepsRunningOtherGreenThreadsWhileOneWaits() {
        int ticks = onHub(() -> {
            CountDownLatch release = new CountDownLatch(1);
            AtomicInteger ticked = new AtomicInteger();
            GreenThread<Void> ticker = Eventlet.spawn(() -> {
                for (int i = 0; i < 5; i++) {
                    Eventlet.sleep(Duration.ofMillis(1));
                    ticked.incrementAndGet();
                }
                release.countDown();              // only the ticker lets the blocking task finish
                return null;
            });
            // A platform-thread wait that blocks until the ticker has run five times: if the hub
            // were blocked by this call, the ticker could never run and this would never return.
            Tpool.execute(() -> release.await(20, TimeUnit.SECONDS));
            ticker.join();
            return ticked.get();
        });
        assertEquals(5, ticks);
    }

    @Test
    void rethrowsTheOriginalCheckedException() {
        IOException thrown = new IOException("disk on fire");
        IOException[] inGreen = new IOException[1];
        onHub(() -> {
            try {
                Tpool.execute(() -> {
                    throw thrown;
                });
            } catch (IOException e) {
                inGreen[0] = e;
            }
            return null;
        });
        assertSame(thrown, inGreen[0]);
    }

    @Test
    void rethrowsErrorsAndRuntimeExceptionsAsTheyAre() {
        assertThrows(IllegalStateException.class, () -> onHub(() -> Tpool.execute(() -> {
            throw new IllegalStateException("x");
        })));
        assertThrows(AssertionError.class, () -> onHub(() -> Tpool.execute(() -> {
            throw new AssertionError("y");
        })));
    }

    @Test
    void aCallFromAPoolThreadRunsInline() throws Exception {
        String[] names = Tpool.execute(() -> new String[] {Thread.currentThread().getName(),
                Tpool.execute(() -> Thread.currentThread().getName())});
        assertEquals(names[0], names[1]);
    }

    @Test
    void aPlainThreadSimplyBlocks() throws Exception {
        assertEquals(42, Tpool.execute(() -> 42));
    }

    @Test
    void aTimeoutEndsTheGreenWaitButNotTheTask() {
        CountDownLatch taskEnds = new CountDownLatch(1);
        onHub(() -> {
            Timeout t = Timeout.start(Duration.ofMillis(20));
            try {
                Tpool.execute(() -> taskEnds.await(20, TimeUnit.SECONDS));
                throw new AssertionError("the timeout should have ended the wait");
            } catch (Timeout e) {
                assertSame(t, e);
            } finally {
                t.cancel();
            }
            return null;
        });
        taskEnds.countDown();
    }

    @Test
    void refusedFromATimerCallback() throws Exception {
        Throwable[] seen = new Throwable[1];
        onHub(() -> {
            CountDownLatch done = new CountDownLatch(1);
            Hub.current().schedule(Duration.ZERO, () -> {
                try {
                    Tpool.execute(() -> 1);
                } catch (Throwable e) {
                    seen[0] = e;
                }
                done.countDown();
            });
            assertTrue(done.await(20, TimeUnit.SECONDS));
            return null;
        });
        assertTrue(seen[0] instanceof IllegalStateException, String.valueOf(seen[0]));
    }

    @Test
    void poolSizeComesFromThePropertyAndBadValuesAreNamed() {
        ChildJvm.Result ok = ChildJvm.run(List.of("-Deventlet.threadpool.size=3"), SizeChild.class, Duration.ofSeconds(60));
        assertEquals(0, ok.exitCode(), ok.output());
        assertTrue(ok.output().strip().endsWith("size 3"), ok.output());
        ChildJvm.Result bad = ChildJvm.run(List.of("-Deventlet.threadpool.size=zero"), SizeChild.class, Duration.ofSeconds(60));
        assertTrue(bad.output().contains("-Deventlet.threadpool.size=zero is not a positive thread count"), bad.output());
        ChildJvm.Result byDefault = ChildJvm.run(List.of(), SizeChild.class, Duration.ofSeconds(60));
        assertTrue(byDefault.output().strip().endsWith("size 20"), byDefault.output());
    }

    /** Prints the pool size as configured for its JVM. */
    static final class SizeChild {
        public static void main(String[] args) {
            System.out.println("size " + Tpool.size());
        }
    }
}
