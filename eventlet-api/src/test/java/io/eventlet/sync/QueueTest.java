package io.eventlet.sync;

import io.eventlet.Eventlet;
import io.eventlet.GreenThread;
import io.eventlet.Hub;
import io.eventlet.Timeout;
import io.eventlet.hub.selector.SelectorHubProvider;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The queues: eventlet's test_queue behaviours, the channel, resize, and a cross-hub stress test. */
class QueueTest {
    private static <T> T onHub(java.util.concurrent.Callable<T> body) {
        return EventTest.onHub(body);
    }

    @Test
    void itemsComeOutInOrder() {
        onHub(() -> {
            Queue<String> q = new Queue<>();
            q.put("a");
            q.put("b");
            assertTrue(q.offer("c"));
            assertEquals(3, q.size());
            assertEquals("a", q.get());
            assertEquals("b", q.poll());
            assertEquals("c", q.get(Duration.ofSeconds(1)));
            assertTrue(q.isEmpty());
            assertNull(q.poll());
            assertThrows(NullPointerException.class, () -> q.put(null));
            return null;
        });
    }

    @Test
    void aFullQueueMakesPutWait() {
        onHub(() -> {
            LightQueue<Integer> q = new LightQueue<>(2);
            q.put(1);
            q.put(2);
            assertTrue(q.isFull());
            assertFalse(q.offer(3));
            GreenThread<Void> putter = Eventlet.spawn(() -> { q.put(3); return null; });
            Eventlet.sleep();
            assertFalse(putter.isDone());
            assertEquals(1, q.putting());
            assertEquals(1, q.get());
            putter.join();
            assertEquals(2, q.get());
            assertEquals(3, q.get());
            return null;
        });
    }

    @Test
    void timedOperationsRaiseOrReturnNothing() {
        onHub(() -> {
            LightQueue<Integer> q = new LightQueue<>(1);
            assertThrows(QueueEmptyException.class, () -> q.get(Duration.ofMillis(5)));
            assertNull(q.poll(Duration.ofMillis(5)));
            q.put(1);
            assertThrows(QueueFullException.class, () -> q.put(2, Duration.ofMillis(5)));
            assertFalse(q.offer(2, Duration.ofMillis(5)));
            assertEquals(0, q.getting());
            assertEquals(0, q.putting());
            assertEquals(1, q.size());
            return null;
        });
    }

    @Test
    void getterAreServedInTheOrderTheyCame() {
        onHub(() -> {
            LightQueue<Integer> q = new LightQueue<>();
            List<Integer> got = new ArrayList<>();
            List<GreenThread<Void>> getters = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                int me = i;
                getters.add(Eventlet.spawn(() -> {
                    got.add(me * 10 + q.get());
                    return null;
                }));
            }
            Eventlet.sleep();
            assertEquals(3, q.getting());
            q.put(1);
            q.put(2);
            q.put(3);
            for (GreenThread<Void> g : getters) {
                g.join();
            }
            assertEquals(List.of(1, 12, 23), got);
            return null;
        });
    }

    @Test
    void aChannelPutReturnsOnlyWhenAGetterTookTheItem() {
        onHub(() -> {
            LightQueue<String> ch = new LightQueue<>(0);
            assertFalse(ch.offer("nobody"), "no getter waits");
            GreenThread<Void> putter = Eventlet.spawn(() -> { ch.put("x"); return null; });
            Eventlet.sleep();
            assertFalse(putter.isDone(), "a channel put waits for a getter");
            assertEquals(0, ch.size());
            assertEquals("x", ch.get());
            putter.join();
            GreenThread<String> getter = Eventlet.spawn(ch::get);
            Eventlet.sleep();
            assertTrue(ch.offer("y"), "a getter waits");
            assertEquals("y", getter.join());
            assertNull(ch.poll());
            return null;
        });
    }

    @Test
    void aGetterEndedByATimeoutConsumesNothing() {
        onHub(() -> {
            LightQueue<String> q = new LightQueue<>();
            try (Timeout t = Timeout.start(Duration.ofMillis(5))) {
                assertSame(t, assertThrows(Timeout.class, q::get));
            }
            assertEquals(0, q.getting());
            q.put("kept");
            assertEquals("kept", q.get());

            // Handed an item, then killed before it ran: the item goes back to the queue.
            GreenThread<String> doomed = Eventlet.spawn(q::get);
            Eventlet.sleep();
            q.put("first");
            q.put("second");
            doomed.kill();
            assertEquals("first", q.get());
            assertEquals("second", q.get());

            // The same on a channel, where the item goes to the next getter.
            LightQueue<String> ch = new LightQueue<>(0);
            GreenThread<String> doomedToo = Eventlet.spawn(ch::get);
            GreenThread<String> next = Eventlet.spawn(ch::get);
            Eventlet.sleep();
            assertTrue(ch.offer("z"));
            doomedToo.kill();
            assertEquals("z", next.join());
            return null;
        });
    }

    @Test
    void resizeNeverDropsItemsAndGrowingLetsPuttersIn() {
        onHub(() -> {
            Queue<Integer> q = new Queue<>(5);
            for (int i = 0; i < 5; i++) {
                q.put(i);
            }
            q.resize(2);
            assertEquals(5, q.size());
            assertFalse(q.offer(9));
            for (int i = 0; i < 3; i++) {
                assertEquals(i, q.get());
            }
            assertFalse(q.offer(9), "two left: full at the new size");
            q.resize(1);
            List<GreenThread<Void>> putters = new ArrayList<>();
            for (int i = 10; i < 13; i++) {
                int item = i;
                putters.add(Eventlet.spawn(() -> { q.put(item); return null; }));
            }
            Eventlet.sleep();
            assertEquals(3, q.putting());
            q.resize(5);
            assertEquals(0, q.putting());
            for (GreenThread<Void> p : putters) {
                p.join();
            }
            assertEquals(List.of(3, 4, 10, 11, 12), List.of(q.get(), q.get(), q.get(), q.get(), q.get()));
            assertThrows(IllegalArgumentException.class, () -> q.resize(-1));
            return null;
        });
    }

    @Test
    void joinWaitsForEveryTaskDone() {
        onHub(() -> {
            Queue<Integer> q = new Queue<>();
            for (int i = 0; i < 3; i++) {
                q.put(i);
            }
            assertEquals(3, q.unfinishedTasks());
            assertFalse(q.join(Duration.ofMillis(5)));
            GreenThread<Void> worker = Eventlet.spawn(() -> {
                for (int i = 0; i < 3; i++) {
                    q.get();
                    Eventlet.sleep();
                    q.taskDone();
                }
                return null;
            });
            q.join();
            assertEquals(0, q.unfinishedTasks());
            worker.join();
            assertThrows(IllegalStateException.class, q::taskDone);

            // Puts that had to wait count as tasks too: admitted when room came, or taken by a getter.
            Queue<Integer> small = new Queue<>(1);
            small.put(1);
            GreenThread<Void> waitingPut = Eventlet.spawn(() -> { small.put(2); return null; });
            Eventlet.sleep();
            assertEquals(1, small.get());
            waitingPut.join();
            assertEquals(2, small.unfinishedTasks());
            Queue<Integer> channel = new Queue<>(0);
            GreenThread<Void> channelPut = Eventlet.spawn(() -> { channel.put(3); return null; });
            Eventlet.sleep();
            assertEquals(3, channel.get());
            channelPut.join();
            assertEquals(1, channel.unfinishedTasks());
            return null;
        });
    }

    @Test
    void priorityAndLifoOrders() {
        onHub(() -> {
            PriorityQueue<Integer> p = new PriorityQueue<>();
            for (int i : new int[] {5, 1, 4, 2, 3}) {
                p.put(i);
            }
            assertEquals(List.of(1, 2, 3, 4, 5), List.of(p.get(), p.get(), p.get(), p.get(), p.get()));

            record Job(int priority, String name) {
            }
            PriorityQueue<Job> jobs = new PriorityQueue<>(Comparator.comparingInt(Job::priority));
            jobs.put(new Job(2, "late"));
            jobs.put(new Job(1, "a"));
            jobs.put(new Job(1, "b"));
            jobs.put(new Job(1, "c"));
            assertEquals(List.of("a", "b", "c", "late"), List.of(jobs.get().name, jobs.get().name, jobs.get().name, jobs.get().name),
                    "equal priorities in put order");

            PriorityQueue<Object> notComparable = new PriorityQueue<>();
            assertThrows(ClassCastException.class, () -> notComparable.put(new Object()));
            assertEquals(0, notComparable.size());

            LifoQueue<Integer> l = new LifoQueue<>();
            l.put(1);
            l.put(2);
            l.put(3);
            assertEquals(List.of(3, 2, 1), List.of(l.get(), l.get(), l.get()));
            return null;
        });
    }

    /**
     * Stress: a bounded queue between producers and consumers on two hubs and plain threads;
     * every item is delivered exactly once.
     */
    @Test
    void everyItemIsDeliveredExactlyOnceAcrossHubsAndPlainThreads() throws Exception {
        int producers = 6;
        int perProducer = 5_000;
        int consumers = 6;
        Queue<Integer> q = new Queue<>(16);
        AtomicIntegerArray seen = new AtomicIntegerArray(producers * perProducer);
        Hub a = Hub.start(new SelectorHubProvider());
        Hub b = Hub.start(new SelectorHubProvider());
        try {
            java.util.function.IntFunction<java.util.concurrent.Callable<Void>> producer = p -> () -> {
                for (int i = 0; i < perProducer; i++) {
                    q.put(p * perProducer + i);
                }
                return null;
            };
            java.util.concurrent.Callable<Void> consumer = () -> {
                while (true) {
                    int item = q.get();
                    if (item < 0) {
                        return null;
                    }
                    seen.incrementAndGet(item);
                    q.taskDone();
                }
            };
            List<GreenThread<Void>> greens = new ArrayList<>();
            List<Thread> plains = new ArrayList<>();
            List<GreenThread<Void>> greenProducers = new ArrayList<>();
            List<Thread> plainProducers = new ArrayList<>();
            for (int i = 0; i < producers; i++) {
                switch (i % 3) {
                    case 0 -> greenProducers.add(a.spawn(producer.apply(i)));
                    case 1 -> greenProducers.add(b.spawn(producer.apply(i)));
                    default -> {
                        var task = producer.apply(i);
                        plainProducers.add(Thread.ofPlatform().start(() -> call(task)));
                    }
                }
            }
            for (int i = 0; i < consumers; i++) {
                switch (i % 3) {
                    case 0 -> greens.add(a.spawn(consumer));
                    case 1 -> greens.add(b.spawn(consumer));
                    default -> plains.add(Thread.ofPlatform().start(() -> call(consumer)));
                }
            }
            for (GreenThread<Void> g : greenProducers) {
                g.join();
            }
            for (Thread t : plainProducers) {
                t.join();
            }
            q.join();   // from this plain thread: every item taken and done
            for (int i = 0; i < consumers; i++) {
                q.put(-1);
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
        for (int i = 0; i < seen.length(); i++) {
            assertEquals(1, seen.get(i), "item " + i);
        }
    }

    private static void call(java.util.concurrent.Callable<Void> task) {
        try {
            task.call();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
