package io.eventlet.pool;

import io.eventlet.Eventlet;
import io.eventlet.GreenThread;
import io.eventlet.Hub;
import io.eventlet.hub.selector.SelectorHubProvider;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Pool: eventlet's test_pools behaviours. */
class PoolTest {
    private static <T> T onHub(java.util.concurrent.Callable<T> body) {
        return Hub.run(new SelectorHubProvider(), body);
    }

    @Test
    void makesItemsOnDemandUpToTheMaximumAndReusesThem() {
        onHub(() -> {
            AtomicInteger made = new AtomicInteger();
            Pool<Integer> pool = new Pool<>(1, 3, made::incrementAndGet);
            assertEquals(1, made.get(), "minSize items are made at once");
            assertEquals(3, pool.free());
            int a = pool.get();
            int b = pool.get();
            assertEquals(2, made.get());
            pool.put(a);
            assertEquals(a, pool.get(), "a free item before a new one");
            assertEquals(2, pool.currentSize());
            pool.put(a);
            pool.put(b);
            assertEquals(3, pool.free());
            assertThrows(IllegalArgumentException.class, () -> new Pool<>(2, 1, () -> 0));
            return null;
        });
    }

    @Test
    void orderAsStackHandsOutTheLastReturnedFirst() {
        onHub(() -> {
            AtomicInteger made = new AtomicInteger();
            Pool<Integer> fifo = new Pool<>(2, 2, made::incrementAndGet);
            Pool<Integer> stack = new Pool<>(2, 2, true, made::incrementAndGet);
            int f1 = fifo.get();
            int f2 = fifo.get();
            fifo.put(f1);
            fifo.put(f2);
            assertEquals(f1, fifo.get());
            int s1 = stack.get();
            int s2 = stack.get();
            stack.put(s1);
            stack.put(s2);
            assertEquals(s2, stack.get());
            return null;
        });
    }

    @Test
    void getWaitsAtTheMaximumUntilAnItemIsPutBack() {
        onHub(() -> {
            Pool<Object> pool = new Pool<>(0, 1, Object::new);
            Object only = pool.get();
            GreenThread<Object> waiter = Eventlet.spawn(pool::get);
            Eventlet.sleep();
            assertFalse(waiter.isDone());
            assertEquals(1, pool.waiting());
            assertNull(pool.get(Duration.ofMillis(5)), "a timed get gives up");
            pool.put(only);
            assertSame(only, waiter.join());
            assertEquals(0, pool.waiting());
            return null;
        });
    }

    @Test
    void aFailingFactoryLeavesRoomForTheNextTry() {
        onHub(() -> {
            AtomicBoolean fail = new AtomicBoolean(true);
            Pool<String> pool = new Pool<>(0, 1, () -> {
                if (fail.get()) {
                    throw new java.io.IOException("cannot connect");
                }
                return "conn";
            });
            assertThrows(java.util.concurrent.CompletionException.class, pool::get);
            assertEquals(0, pool.currentSize());
            fail.set(false);
            assertEquals("conn", pool.get());
            return null;
        });
    }

    @Test
    void aLeaseIsPutBackOnce() {
        onHub(() -> {
            Pool<Object> pool = new Pool<>(0, 2, Object::new);
            Pool.Lease<Object> lease;
            try (Pool.Lease<Object> l = pool.item()) {
                lease = l;
                assertEquals(1, pool.free());
            }
            assertEquals(2, pool.free());
            lease.close();
            assertEquals(2, pool.free(), "a second close put it back again");
            return null;
        });
    }

    @Test
    void resizeLetsWaitersMakeItemsAndShrinkingDiscardsOnPut() {
        onHub(() -> {
            Pool<Object> pool = new Pool<>(0, 1, Object::new);
            Object a = pool.get();
            GreenThread<Object> waiter = Eventlet.spawn(pool::get);
            Eventlet.sleep();
            pool.resize(2);
            Object b = waiter.join();
            assertNotSame(a, b);
            assertEquals(2, pool.currentSize());
            pool.resize(1);
            pool.put(a);            // one too many: discarded
            assertEquals(1, pool.currentSize());
            pool.put(b);
            assertEquals(1, pool.free());
            return null;
        });
    }

    @Test
    void aKilledWaiterPassesOnTheItemItWasHanded() {
        onHub(() -> {
            Pool<Object> pool = new Pool<>(0, 1, Object::new);
            Object only = pool.get();
            GreenThread<Object> doomed = Eventlet.spawn(pool::get);
            GreenThread<Object> next = Eventlet.spawn(pool::get);
            Eventlet.sleep();
            pool.put(only);     // handed to doomed, which has not run
            doomed.kill();
            assertTrue(doomed.isDone());
            assertSame(only, next.join());
            return null;
        });
    }
}
