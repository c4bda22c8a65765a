package io.eventlet;

import io.eventlet.hub.selector.SelectorHubProvider;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The {@code java.util.concurrent} interop of issue 13 beyond the conformance kit
 * (io.eventlet.kit.JdkInteropBehaviour): argument checks, descriptions, and stress tests of its
 * two races (a timeout's interrupt against the end of the JDK call it interrupts; shutdownNow
 * against tasks beginning).
 */
class JdkInteropTest {
    @Test
    void aHubIsNotAnExecutor() {
        assertFalse(Executor.class.isAssignableFrom(Hub.class),
                "a hub ran executor tasks on its own thread, where nothing may block");
    }

    @Test
    void argumentsAreChecked() {
        try (Hub hub = Hub.start(new SelectorHubProvider())) {
            assertThrows(NullPointerException.class, () -> hub.threadFactory(null));
            assertThrows(NullPointerException.class, () -> hub.threadFactory().newThread(null));
            assertThrows(NullPointerException.class, () -> GreenExecutor.on(null));
            GreenExecutor executor = GreenExecutor.on(hub);
            assertThrows(NullPointerException.class, () -> executor.execute(null));
            assertSame(hub, executor.hub());
            assertSame(hub, hub.threadFactory().hub());
            assertNotSame(executor, GreenExecutor.on(hub), "each executor has its own shutdown");
            assertTrue(executor.toString().contains(hub.name()), executor::toString);
            assertTrue(hub.threadFactory("w").toString().contains("w"));
            executor.shutdown();
            assertTrue(executor.toString().contains("terminated"), executor::toString);
        }
    }

    @Test
    void eventletThreadFactoryIsTheCurrentHubs() {
        Eventlet.run(() -> {
            Thread t = Eventlet.threadFactory().newThread(() -> { });
            t.start();
            t.join();
            assertSame(Hub.current(), Eventlet.threadFactory().hub());
            return null;
        });
    }

    /**
     * A timeout that expires just as the JDK call it interrupts ends on its own: whichever wins,
     * the timeout is delivered at most once (an interrupt, or raised at the next eventlet wait),
     * and no interrupt status is left once the timeout is closed.
     */
    @Test
    @Timeout(120)
    void aTimeoutRacingTheEndOfAJdkCallIsDeliveredAtMostOnceAndLeavesNoInterrupt() {
        Eventlet.run(() -> {
            LinkedBlockingQueue<String> queue = new LinkedBlockingQueue<>();
            int interrupted = 0;
            int raised = 0;
            for (int i = 0; i < 400; i++) {
                long micros = ThreadLocalRandom.current().nextLong(0, 400);
                if (i % 3 == 0) {
                    Hub.current().schedule(Duration.ofNanos(micros * 1000), () -> queue.offer("x"));
                }
                try (io.eventlet.Timeout t = io.eventlet.Timeout.start(Duration.ofNanos(ThreadLocalRandom.current().nextLong(0, 400) * 1000))) {
                    try {
                        queue.poll(micros, TimeUnit.MICROSECONDS);
                    } catch (InterruptedException e) {
                        assertTrue(t.expired(), "an interrupt no timeout caused");
                        interrupted++;
                    }
                    try {
                        Eventlet.sleep();
                    } catch (io.eventlet.Timeout e) {
                        assertSame(t, e);
                        raised++;
                    }
                }
                assertFalse(Thread.currentThread().isInterrupted(), "round " + i + " left the interrupt status set");
                queue.clear();
            }
            Eventlet.sleep(Duration.ofMillis(2));   // a timeout delivered twice would be raised here
            assertTrue(interrupted > 0, "no round interrupted its call: the race was not exercised");
            return raised;
        });
    }

    /** shutdownNow against tasks beginning: each task either runs or is returned, never both, never neither. */
    @Test
    @Timeout(120)
    void shutdownNowRacingTasksThatBeginReturnsExactlyThoseThatNeverRan() throws Exception {
        for (int round = 0; round < 30; round++) {
            try (Hub hub = Hub.start(new SelectorHubProvider())) {
                GreenExecutor executor = GreenExecutor.on(hub);
                Set<Runnable> ran = ConcurrentHashMap.newKeySet();
                List<Runnable> submitted = new ArrayList<>();
                AtomicInteger count = new AtomicInteger();
                for (int i = 0; i < 200; i++) {
                    Runnable[] self = new Runnable[1];
                    self[0] = () -> {
                        ran.add(self[0]);
                        count.incrementAndGet();
                    };
                    submitted.add(self[0]);
                    executor.execute(self[0]);
                }
                List<Runnable> never = executor.shutdownNow();
                assertTrue(executor.awaitTermination(20, TimeUnit.SECONDS));
                Eventlet.sleep(Duration.ofMillis(1));
                for (Runnable r : never) {
                    assertFalse(ran.contains(r), "a task returned by shutdownNow ran");
                }
                assertEquals(submitted.size(), ran.size() + never.size(), "a task neither ran nor was returned");
                assertEquals(ran.size(), count.get());
                assertEquals(Set.copyOf(submitted), union(ran, never));
            }
        }
    }

    private static Set<Runnable> union(Set<Runnable> a, List<Runnable> b) {
        Set<Runnable> out = Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        out.addAll(a);
        out.addAll(b);
        return out;
    }
}
