package io.eventlet.sync;

import io.eventlet.Eventlet;
import io.eventlet.GreenThread;
import io.eventlet.Hub;
import io.eventlet.Timeout;
import io.eventlet.hub.selector.SelectorHubProvider;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Event: eventlet's test_event behaviours, plus waiters on other hubs and plain threads. */
class EventTest {
    static <T> T onHub(Callable<T> body) {
        return Hub.run(new SelectorHubProvider(), body);
    }

    @Test
    void everyWaiterGetsTheValueAndSendingDoesNotSwitch() {
        onHub(() -> {
            Event<String> e = new Event<>();
            List<GreenThread<String>> waiters = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                waiters.add(Eventlet.spawn(e::await));
            }
            Eventlet.sleep();
            assertEquals(3, e.waiting());
            e.send("hello");
            for (GreenThread<String> w : waiters) {
                assertFalse(w.isDone(), "send switched to a waiter");
            }
            for (GreenThread<String> w : waiters) {
                assertEquals("hello", w.join());
            }
            assertEquals("hello", e.await(), "a later await returns at once");
            assertTrue(e.ready());
            assertTrue(e.hasValue());
            assertFalse(e.hasException());
            return null;
        });
    }

    @Test
    void aSecondSendIsAnErrorUntilReset() {
        onHub(() -> {
            Event<Integer> e = new Event<>();
            assertThrows(IllegalStateException.class, e::reset, "reset of a fresh event");
            e.send(1);
            IllegalStateException x = assertThrows(IllegalStateException.class, () -> e.send(2));
            assertTrue(x.getMessage().contains("already sent"), x.getMessage());
            assertEquals(1, e.await());
            e.reset();
            assertFalse(e.ready());
            e.send(3);
            assertEquals(3, e.await());
            return null;
        });
    }

    @Test
    void awaitWithATimeoutReturnsEmptyAndLeavesNoWaiter() {
        onHub(() -> {
            Event<String> e = new Event<>();
            assertEquals(Optional.empty(), e.await(Duration.ofMillis(10)));
            assertEquals(Optional.empty(), e.await(Duration.ZERO));
            assertEquals(0, e.waiting());
            e.send("late");
            assertEquals(Optional.of("late"), e.await(Duration.ofMillis(10)));
            return null;
        });
    }

    @Test
    void anExceptionIsRaisedInEveryWaiter() {
        onHub(() -> {
            Event<String> e = new Event<>();
            GreenThread<String> w = Eventlet.spawn(e::await);
            Eventlet.sleep();
            IllegalArgumentException boom = new IllegalArgumentException("boom");
            e.sendException(boom);
            assertSame(boom, assertThrows(IllegalArgumentException.class, w::join));
            assertSame(boom, assertThrows(IllegalArgumentException.class, e::await));
            assertTrue(e.hasException());

            Event<String> checked = new Event<>();
            IOException io = new IOException("disk");
            checked.sendException(io);
            assertSame(io, assertThrows(CompletionException.class, checked::await).getCause());
            return null;
        });
    }

    @Test
    void aWaiterWokenBeforeAResetGetsThatSendsValue() {
        onHub(() -> {
            Event<Integer> e = new Event<>();
            GreenThread<Integer> w = Eventlet.spawn(e::await);
            Eventlet.sleep();
            e.send(1);
            e.reset();
            e.send(2);
            assertEquals(1, w.join());
            return null;
        });
    }

    @Test
    void aTimeoutEndsTheWaitAndLeavesNoWaiter() {
        onHub(() -> {
            Event<String> e = new Event<>();
            try (Timeout t = Timeout.start(Duration.ofMillis(10))) {
                assertSame(t, assertThrows(Timeout.class, e::await));
            }
            assertEquals(0, e.waiting());
            return null;
        });
    }

    @Test
    void waitersOnOtherHubsAndPlainThreadsAreWoken() throws Exception {
        Event<String> e = new Event<>();
        Hub other = Hub.start(new SelectorHubProvider());
        try {
            GreenThread<String> onOther = other.spawn(e::await);
            AtomicReference<String> plain = new AtomicReference<>();
            Thread t = Thread.ofPlatform().start(() -> plain.set(e.await()));
            onHub(() -> {
                while (e.waiting() < 2) {
                    Eventlet.sleep(Duration.ofMillis(1));
                }
                e.send("across");
                return null;
            });
            assertEquals("across", onOther.join());
            t.join();
            assertEquals("across", plain.get());
        } finally {
            other.close();
        }
    }

    @Test
    void aPlainWaiterThatIsInterruptedGetsCancellationException() throws Exception {
        Event<String> e = new Event<>();
        AtomicReference<Throwable> caught = new AtomicReference<>();
        Thread t = Thread.ofPlatform().start(() -> {
            try {
                e.await();
            } catch (Throwable x) {
                caught.set(x);
            }
        });
        while (e.waiting() == 0) {
            Thread.onSpinWait();
        }
        t.interrupt();
        t.join();
        assertInstanceOf(CancellationException.class, caught.get());
        assertEquals(0, e.waiting());
    }

    /** Stress: two hubs ping-pong through pairs of events; no wake-up is lost. */
    @Test
    void pingPongAcrossHubsLosesNoWakeUp() throws Exception {
        int rounds = 20_000;
        Hub a = Hub.start(new SelectorHubProvider());
        Hub b = Hub.start(new SelectorHubProvider());
        try {
            List<Event<Integer>> ping = new ArrayList<>();
            List<Event<Integer>> pong = new ArrayList<>();
            for (int i = 0; i < rounds; i++) {
                ping.add(new Event<>());
                pong.add(new Event<>());
            }
            GreenThread<Integer> left = a.spawn(() -> {
                int sum = 0;
                for (int i = 0; i < rounds; i++) {
                    ping.get(i).send(i);
                    sum += pong.get(i).await();
                }
                return sum;
            });
            GreenThread<Void> right = b.spawn(() -> {
                for (int i = 0; i < rounds; i++) {
                    pong.get(i).send(ping.get(i).await() + 1);
                }
                return null;
            });
            right.join();
            assertEquals((long) rounds * (rounds + 1) / 2, (long) left.join());
        } finally {
            a.close();
            b.close();
        }
    }
}
