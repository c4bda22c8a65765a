package io.eventlet.kit;

import io.eventlet.Eventlet;
import io.eventlet.GreenThread;
import io.eventlet.GreenThreadExit;
import io.eventlet.Hub;
import io.eventlet.Interest;
import io.eventlet.Timer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static io.eventlet.kit.OnHub.FOREVER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The behaviour of the hub loop and its timers (eventlet's {@code test_hub.py}), written once and
 * run against every kind of hub: one behaviour of the conformance kit, a test interface that
 * {@link HubConformance} implements.
 */
public interface HubBehaviour extends HubCases {
    private void green(OnHub.Body body) {
        OnHub.run(provider(), body);
    }

    // ---- timers -------------------------------------------------------------------------------

    @Test
    default void timersFireInDeadlineOrder() throws Exception {
        try (Hub hub = Hub.start(provider())) {
            List<String> order = Collections.synchronizedList(new ArrayList<>());
            CountDownLatch last = new CountDownLatch(1);
            hub.schedule(Duration.ofMillis(60), () -> {
                order.add("c");
                last.countDown();
            });
            hub.schedule(Duration.ofMillis(20), () -> order.add("a"));
            hub.schedule(Duration.ofMillis(40), () -> order.add("b"));
            OnHub.await(last, "the last timer");
            assertEquals(List.of("a", "b", "c"), order);
        }
    }

    @Test
    default void timersDueTogetherFireInSchedulingOrder() {
        green(() -> {
            List<Integer> order = Collections.synchronizedList(new ArrayList<>());
            CountDownLatch all = new CountDownLatch(50);
            List<Integer> expected = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                int n = i;
                expected.add(n);
                Hub.current().schedule(Duration.ZERO, () -> {
                    order.add(n);
                    all.countDown();
                });
            }
            OnHub.await(all, "the timers");
            assertEquals(expected, order);
        });
    }

    @Test
    default void aCancelledTimerNeverFires() {
        green(() -> {
            AtomicBoolean fired = new AtomicBoolean();
            Timer t = Hub.current().schedule(Duration.ofMillis(10), () -> fired.set(true));
            assertTrue(t.isPending());
            assertTrue(t.cancel());
            assertFalse(t.cancel(), "a second cancel");
            assertFalse(t.isPending());
            Eventlet.sleep(Duration.ofMillis(30));   // a later timer has fired, so the cancelled one had its chance
            assertFalse(fired.get());
            assertFalse(t.hasFired());
        });
    }

    @Test
    default void aFiredTimerCannotBeCancelled() {
        green(() -> {
            CountDownLatch fired = new CountDownLatch(1);
            Timer t = Hub.current().schedule(Duration.ZERO, fired::countDown);
            OnHub.await(fired, "the timer");
            assertTrue(t.hasFired());
            assertFalse(t.isPending());
            assertFalse(t.cancel());
        });
    }

    @Test
    default void aTimerCancelledFromAnotherThreadNeverFires() throws Exception {
        try (Hub hub = Hub.start(provider())) {
            AtomicBoolean fired = new AtomicBoolean();
            Timer t = hub.schedule(Duration.ofMillis(20), () -> fired.set(true));
            assertTrue(t.cancel());
            CountDownLatch later = new CountDownLatch(1);
            hub.schedule(Duration.ofMillis(40), later::countDown);
            OnHub.await(later, "a later timer");
            assertFalse(fired.get());
        }
    }

    @Test
    default void timerCallbacksRunOnTheHubsOwnThread() throws Exception {
        try (Hub hub = Hub.start(provider())) {
            CompletableFuture<String> seen = new CompletableFuture<>();
            hub.schedule(Duration.ZERO, () -> seen.complete(Thread.currentThread().getName()
                    + " virtual=" + Thread.currentThread().isVirtual()
                    + " current=" + (Hub.current() == hub)
                    + " green=" + (Eventlet.current() != null)));
            assertEquals(hub.name() + " virtual=false current=true green=false", seen.get(20, TimeUnit.SECONDS));
        }
    }

    @Test
    default void aThrowingTimerCallbackIsLoggedAndLaterSleepsStillWork() {
        // Copies what is written to two streams.
        final class Tee extends OutputStream {
            private final OutputStream a;
            private final OutputStream b;

            Tee(OutputStream a, OutputStream b) {
                this.a = a;
                this.b = b;
            }

            @Override
            public synchronized void write(int x) throws IOException {
                a.write(x);
                b.write(x);
            }

            @Override
            public synchronized void write(byte[] buf, int off, int len) throws IOException {
                a.write(buf, off, len);
                b.write(buf, off, len);
            }
        }

        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(new Tee(original, captured), true, StandardCharsets.UTF_8));
        try {
            green(() -> {
                Hub.current().schedule(Duration.ZERO, () -> {
                    throw new IllegalStateException("timer boom (expected in the log)");
                });
                Eventlet.sleep(Duration.ofMillis(5));
                Eventlet.sleep(Duration.ofMillis(5));
                assertTrue(Hub.current().stats().timersFired() >= 3);
            });
        } finally {
            System.setErr(original);
        }
        String log = captured.toString(StandardCharsets.UTF_8);
        assertTrue(log.contains("timer boom (expected in the log)"), "not logged: " + log);
    }

    @Test
    default void greenBlockingCallsInATimerCallbackThrowIllegalState() {
        green(() -> {
            GreenThread<Object> sleeper = Eventlet.spawn(() -> {
                Eventlet.sleep(FOREVER);
                return null;
            });
            List<Throwable> thrown = Collections.synchronizedList(new ArrayList<>());
            CountDownLatch done = new CountDownLatch(1);
            Hub.current().schedule(Duration.ZERO, () -> {
                thrown.add(attempt(() -> Eventlet.sleep(Duration.ofMillis(1))));
                thrown.add(attempt(Eventlet::sleep));
                thrown.add(attempt(sleeper::join));
                thrown.add(attempt(() -> Eventlet.run(() -> 1)));
                done.countDown();
            });
            OnHub.await(done, "the timer callback");
            assertEquals(4, thrown.size());
            for (Throwable t : thrown) {
                assertTrue(t instanceof IllegalStateException, "not an IllegalStateException: " + t);
                assertTrue(t.getMessage().contains("do not call blocking functions from the hub's loop"), t.getMessage());
            }
            sleeper.kill();
        });
    }

    private static Throwable attempt(Runnable blocking) {
        try {
            blocking.run();
            return null;
        } catch (Throwable t) {
            return t;
        }
    }

    // ---- wake-ups from other threads and other hubs -------------------------------------------

    /**
     * Two plain threads hand one million items to green threads of one hub, each item in a
     * one-slot mailbox that is refilled only once emptied, with one {@code unpark} per item: most
     * unparks find their green thread parked or about to park, so each is a real wake-up. A lost
     * one leaves a green thread parked with a full mailbox and the producers stuck.
     */
    @Test
    @Timeout(30)
    default void aMillionUnparksFromTwoPlainThreadsAreNeverLost() throws Exception {
        final int EMPTY = 0;   // a mailbox's states
        final int FULL = 1;
        final int STOP = 2;
        int consumers = 64;
        int perProducer = 500_000;
        AtomicIntegerArray slots = new AtomicIntegerArray(consumers);   // EMPTY, FULL or STOP
        try (Hub hub = Hub.start(provider())) {
            List<GreenThread<Long>> green = new ArrayList<>();
            for (int c = 0; c < consumers; c++) {
                int slot = c;
                green.add(hub.spawn(() -> {
                    long received = 0;
                    while (true) {
                        int s = slots.get(slot);
                        if (s == EMPTY) {
                            LockSupport.park();
                        } else if (s == FULL) {
                            received++;
                            slots.set(slot, EMPTY);
                        } else {
                            return received;
                        }
                    }
                }));
            }
            Thread[] targets = green.stream().map(GreenThread::thread).toArray(Thread[]::new);
            List<Thread> producers = new ArrayList<>();
            for (int p = 0; p < 2; p++) {
                int first = p * consumers / 2;
                producers.add(Thread.ofPlatform().start(() -> {
                    int c = first;
                    for (int i = 0; i < perProducer; i++) {
                        for (int tried = 1; !slots.compareAndSet(c, EMPTY, FULL); tried++) {
                            c = (c + 1) % consumers;
                            if (tried % consumers == 0) {
                                Thread.yield();   // every mailbox is full: let the hub's thread drain them
                            }
                        }
                        LockSupport.unpark(targets[c]);
                        c = (c + 1) % consumers;
                    }
                }));
            }
            for (Thread t : producers) {
                t.join();
            }
            for (int c = 0; c < consumers; c++) {
                while (!slots.compareAndSet(c, EMPTY, STOP)) {
                    Thread.onSpinWait();
                }
                LockSupport.unpark(targets[c]);
            }
            long total = 0;
            for (GreenThread<Long> g : green) {
                total += g.join();
            }
            assertEquals(2L * perProducer, total);
        }
    }

    @Test
    @Timeout(30)
    default void greenThreadsOnTwoHubsHandWorkToEachOther() throws Exception {
        int rounds = 5_000;
        try (Hub a = Hub.start(provider()); Hub b = Hub.start(provider())) {
            SynchronousQueue<Integer> toB = new SynchronousQueue<>();
            SynchronousQueue<Integer> toA = new SynchronousQueue<>();
            GreenThread<Integer> ping = a.spawn(() -> {
                assertSame(a, Hub.current());
                int v = 0;
                for (int i = 0; i < rounds; i++) {
                    toB.put(v);
                    v = toA.take();
                }
                return v;
            });
            GreenThread<Integer> pong = b.spawn(() -> {
                assertSame(b, Hub.current());
                for (int i = 0; i < rounds; i++) {
                    toA.put(toB.take() + 1);
                }
                return rounds;
            });
            assertEquals(rounds, ping.join());
            assertEquals(rounds, pong.join());
        }
    }

    @Test
    @Timeout(30)
    default void unparkHandsOffBetweenGreenThreadsOnTwoHubs() throws Exception {
        int rounds = 5_000;
        try (Hub a = Hub.start(provider()); Hub b = Hub.start(provider())) {
            AtomicLong baton = new AtomicLong();   // even: a's turn, odd: b's turn
            AtomicReference<Thread> threadA = new AtomicReference<>();
            AtomicReference<Thread> threadB = new AtomicReference<>();
            CountDownLatch bothKnown = new CountDownLatch(2);
            GreenThread<Long> ga = a.spawn(() -> relay(baton, 0, rounds, threadA, threadB, bothKnown));
            GreenThread<Long> gb = b.spawn(() -> relay(baton, 1, rounds, threadB, threadA, bothKnown));
            assertEquals(rounds, ga.join());
            assertEquals(rounds, gb.join());
            assertEquals(2L * rounds, baton.get());
        }
    }

    private static long relay(AtomicLong baton, int parity, int rounds, AtomicReference<Thread> me,
            AtomicReference<Thread> other, CountDownLatch bothKnown) throws InterruptedException {
        me.set(Thread.currentThread());
        bothKnown.countDown();
        bothKnown.await();
        long turns = 0;
        while (turns < rounds) {
            long v = baton.get();
            if ((v & 1) != parity) {
                LockSupport.park();
                continue;
            }
            baton.set(v + 1);
            turns++;
            LockSupport.unpark(other.get());
        }
        return turns;
    }

    @Test
    default void aGreenThreadJoinsAGreenThreadOfAnotherHub() throws Exception {
        try (Hub a = Hub.start(provider()); Hub b = Hub.start(provider())) {
            GreenThread<String> slow = b.spawn(() -> {
                Eventlet.sleep(Duration.ofMillis(20));
                return "from b";
            });
            GreenThread<String> waiter = a.spawn(() -> slow.join() + " via a");
            assertEquals("from b via a", waiter.join());
        }
    }

    // ---- I/O readiness ------------------------------------------------------------------------

    @Test
    default void trampolineWakesAReaderWhenItsChannelBecomesReadable() throws Exception {
        try (NonBlockingPipe pipe = NonBlockingPipe.open()) {
            green(() -> {
                GreenThread<String> reader = Eventlet.spawn(() -> {
                    ByteBuffer buf = ByteBuffer.allocate(16);
                    assertEquals(0, pipe.source().read(buf), "nothing written yet");
                    Eventlet.trampoline(pipe.source(), Interest.READ, Duration.ofSeconds(20));
                    pipe.source().read(buf);
                    return new String(buf.array(), 0, buf.position(), StandardCharsets.US_ASCII);
                });
                Eventlet.sleep();
                assertFalse(reader.isDone(), "the reader did not wait");
                pipe.write("ping".getBytes(StandardCharsets.US_ASCII));
                assertEquals("ping", reader.join());
            });
        }
    }

    @Test
    default void trampolineOnlyWakesTheWaiterOfTheReadyChannel() throws Exception {
        try (NonBlockingPipe quiet = NonBlockingPipe.open(); NonBlockingPipe busy = NonBlockingPipe.open()) {
            green(() -> {
                GreenThread<Object> waitsOnQuiet = Eventlet.spawn(() -> {
                    Eventlet.trampoline(quiet.source(), Interest.READ, null);
                    return null;
                });
                GreenThread<Object> waitsOnBusy = Eventlet.spawn(() -> {
                    Eventlet.trampoline(busy.source(), Interest.READ, null);
                    return null;
                });
                Eventlet.sleep();
                busy.write((byte) 1);
                waitsOnBusy.join();
                Eventlet.sleep(Duration.ofMillis(10));
                assertFalse(waitsOnQuiet.isDone(), "a waiter of a channel that is not ready woke");
                waitsOnQuiet.kill();
                assertThrows(GreenThreadExit.class, waitsOnQuiet::join);
                assertTrue(quiet.source().isOpen(), "killing a waiter closed its channel");
            });
        }
    }

    @Test
    default void trampolineReportsWritableAtOnce() throws Exception {
        try (NonBlockingPipe pipe = NonBlockingPipe.open()) {
            green(() -> Eventlet.trampoline(pipe.sink(), Interest.WRITE, Duration.ofSeconds(20)));
        }
    }

    @Test
    default void trampolineTimesOutWithSocketTimeoutException() throws Exception {
        try (NonBlockingPipe pipe = NonBlockingPipe.open()) {
            green(() -> {
                long start = System.nanoTime();
                assertThrows(SocketTimeoutException.class, () -> Eventlet.trampoline(pipe.source(), Interest.READ, Duration.ofMillis(20)));
                assertTrue(System.nanoTime() - start >= Duration.ofMillis(20).toNanos());
                // The channel can be waited on again after a timeout.
                pipe.write((byte) 1);
                Eventlet.trampoline(pipe.source(), Interest.READ, Duration.ofSeconds(20));
            });
        }
    }

    @Test
    default void aSecondSimultaneousReaderIsRefused() throws Exception {
        try (NonBlockingPipe pipe = NonBlockingPipe.open()) {
            green(() -> {
                GreenThread<Object> first = Eventlet.spawn(() -> {
                    Eventlet.trampoline(pipe.source(), Interest.READ, null);
                    return null;
                });
                Eventlet.sleep();
                IllegalStateException e = assertThrows(IllegalStateException.class, () -> Eventlet.trampoline(pipe.source(), Interest.READ, null));
                assertTrue(e.getMessage().contains("second simultaneous read"), e.getMessage());
                pipe.write((byte) 1);
                first.join();
            });
        }
    }

    @Test
    default void closingTheHubEndsAThreadWaitingOnAChannel() throws Exception {
        try (NonBlockingPipe pipe = NonBlockingPipe.open()) {
            Hub hub = Hub.start(provider());
            GreenThread<Object> reader;
            try {
                CountDownLatch waiting = new CountDownLatch(1);
                reader = hub.spawn(() -> {
                    waiting.countDown();
                    Eventlet.trampoline(pipe.source(), Interest.READ, null);
                    return null;
                });
                OnHub.await(waiting, "the reader");
            } finally {
                hub.close();
            }
            assertThrows(GreenThreadExit.class, reader::join);
            assertTrue(pipe.source().isOpen(), "closing the hub closed the channel");
        }
    }

    // ---- running and closing hubs -------------------------------------------------------------

    @Test
    default void runReturnsMainsResult() {
        assertEquals("main", Hub.run(provider(), () -> "main"));
    }

    @Test
    default void runRethrowsMainsExceptionAndKillsWhatMainLeftBehind() {
        IllegalArgumentException boom = new IllegalArgumentException("boom");
        AtomicReference<GreenThread<Object>> left = new AtomicReference<>();
        AtomicBoolean cleanedUp = new AtomicBoolean();
        IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class, () -> Hub.run(provider(), () -> {
            left.set(Eventlet.spawn(() -> {
                try {
                    Eventlet.sleep(FOREVER);
                } finally {
                    cleanedUp.set(true);
                }
                return null;
            }));
            Eventlet.sleep();
            throw boom;
        }));
        assertSame(boom, thrown);
        assertTrue(cleanedUp.get(), "the leftover's finally block did not run");
        assertTrue(left.get().isDone());
        assertThrows(GreenThreadExit.class, left.get()::join);
    }

    @Test
    default void runWrapsMainsCheckedExceptionInCompletionException() {
        IOException io = new IOException("disk");
        CompletionException e = assertThrows(CompletionException.class, () -> Hub.run(provider(), () -> {
            throw io;
        }));
        assertSame(io, e.getCause());
    }

    @Test
    default void runInsideAGreenThreadThrowsIllegalState() {
        green(() -> {
            assertThrows(IllegalStateException.class, () -> Eventlet.run(() -> 1));
            assertThrows(IllegalStateException.class, () -> Hub.run(provider(), () -> 1));
        });
    }

    @Test
    default void runFromAPlainVirtualThreadWorks() throws Exception {
        AtomicReference<Object> result = new AtomicReference<>();
        Thread vt = Thread.ofVirtual().start(() -> {
            try {
                result.set(Hub.run(provider(), () -> Hub.current().providerName()));
            } catch (Throwable t) {
                result.set(t);
            }
        });
        vt.join();
        assertEquals(provider().name(), result.get());
    }

    @Test
    default void closeKillsRemainingGreenThreadsAndRunsTheirFinallyBlocks() throws Exception {
        Hub hub = Hub.start(provider());
        AtomicBoolean sleeperCleanedUp = new AtomicBoolean();
        AtomicBoolean takerCleanedUp = new AtomicBoolean();
        AtomicBoolean delayedRan = new AtomicBoolean();
        CountDownLatch blocked = new CountDownLatch(2);
        GreenThread<Object> sleeper;
        GreenThread<Object> taker;
        GreenThread<Object> delayed;
        try {
            sleeper = hub.spawn(() -> {
                try {
                    blocked.countDown();
                    Eventlet.sleep(FOREVER);
                } finally {
                    sleeperCleanedUp.set(true);
                }
                return null;
            });
            taker = hub.spawn(() -> {
                try {
                    blocked.countDown();
                    return new LinkedBlockingQueue<>().take();
                } finally {
                    takerCleanedUp.set(true);
                }
            });
            delayed = hub.spawnAfter(FOREVER, () -> delayedRan.getAndSet(true));
            OnHub.await(blocked, "the green threads to block");
        } finally {
            hub.close();
        }
        assertTrue(hub.isClosed());
        assertTrue(sleeperCleanedUp.get());
        assertTrue(takerCleanedUp.get());
        assertThrows(GreenThreadExit.class, sleeper::join);
        assertThrows(GreenThreadExit.class, taker::join);
        assertThrows(GreenThreadExit.class, delayed::join);
        assertFalse(delayedRan.get());
        assertEquals(0, hub.stats().greenThreads());
        assertThrows(IllegalStateException.class, () -> hub.spawn(() -> 1));
        hub.close();   // idempotent
    }

    @Test
    default void closeFromInsideAGreenThreadKillsItAtItsNextBlockingPoint() throws Exception {
        Hub hub = Hub.start(provider());
        try {
            AtomicBoolean passed = new AtomicBoolean();
            GreenThread<Object> g = hub.spawn(() -> {
                hub.close();   // from its own green thread: only starts the shutdown
                Eventlet.sleep(FOREVER);
                passed.set(true);
                return null;
            });
            assertThrows(GreenThreadExit.class, g::join);
            assertFalse(passed.get());
            assertTrue(hub.isClosed());
        } finally {
            hub.close();
        }
    }

    // ---- introspection ------------------------------------------------------------------------

    @Test
    default void statsCountLiveGreenThreads() {
        green(() -> {
            Hub hub = Hub.current();
            assertEquals(provider().name(), hub.stats().provider());
            assertEquals(1, hub.stats().greenThreads(), "main alone");
            CountDownLatch started = new CountDownLatch(3);
            CountDownLatch release = new CountDownLatch(1);
            List<GreenThread<Object>> all = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                all.add(Eventlet.spawn(() -> {
                    started.countDown();
                    release.await();
                    return null;
                }));
            }
            OnHub.await(started, "the green threads to start");
            assertEquals(4, hub.stats().greenThreads());
            release.countDown();
            for (GreenThread<Object> g : all) {
                g.join();
            }
            Eventlet.sleep();
            assertEquals(1, hub.stats().greenThreads(), "finished threads are still counted");
        });
    }

    @Test
    @org.junit.jupiter.api.Timeout(30)
    default void runnableIsTheBacklogTheLatestTurnBeganWith() {
        green(() -> {
            Hub hub = Hub.current();
            for (int i = 0; i < 100; i++) {
                Eventlet.spawnN(() -> { });
            }
            Eventlet.sleep();   // this turn ends; the next one begins with the 100 and this thread
            assertTrue(hub.stats().runnable() >= 101, hub.stats().toString());
            Eventlet.sleep(java.time.Duration.ofMillis(1));
            assertTrue(hub.stats().runnable() <= 2, "the backlog is gone: " + hub.stats());
        });
    }

    @Test
    @org.junit.jupiter.api.Timeout(30)
    default void statsReadFromAnotherThreadMoveOnAndNeverGoBack() throws Exception {
        Hub hub = Hub.start(provider());
        try {
            int yields = 20_000;
            // Yields until the reader has seen the count move a few times (at least 20,000): a
            // fixed count can end before a reader thread the machine started late reads twice.
            java.util.concurrent.atomic.AtomicBoolean seen = new java.util.concurrent.atomic.AtomicBoolean();
            GreenThread<Void> yielder = hub.spawn(() -> {
                for (int i = 0; i < yields || !seen.get(); i++) {
                    Eventlet.sleep();
                }
                return null;
            });
            Hub.Stats last = hub.stats();
            int moves = 0;
            while (!yielder.isDone()) {
                Hub.Stats now = hub.stats();
                assertTrue(now.tasksRun() >= last.tasksRun() && now.polls() >= last.polls() && now.timersFired() >= last.timersFired(),
                        "counters never go down: " + last + " then " + now);
                assertTrue(now.greenThreads() >= 0 && now.timers() >= 0 && now.runnable() >= 0, now.toString());
                if (now.tasksRun() > last.tasksRun() && ++moves >= 3) {
                    seen.set(true);
                }
                last = now;
                Thread.onSpinWait();
            }
            yielder.join();
            Hub.Stats end = hub.stats();
            assertTrue(end.tasksRun() >= yields, "each yield is a task: " + end);
            assertTrue(moves > 0, "a reader on another thread saw the count move");
        } finally {
            hub.close();
        }
        Hub.Stats closed = hub.stats();
        assertEquals(0, closed.greenThreads(), "after close: " + closed);
        assertTrue(closed.tasksRun() >= 20_000, "counters keep their last values after the hub stopped: " + closed);
    }

    @Test
    default void timerCountStaysExactWhenACallbackCancelsAStagedTimerAndCompactionRuns() {
        green(() -> {
            Hub hub = Hub.current();
            int before = hub.stats().timers();
            List<Timer> sixteen = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                sixteen.add(hub.schedule(FOREVER, () -> { }));
            }
            CountDownLatch done = new CountDownLatch(1);
            hub.schedule(Duration.ZERO, () -> {
                // Scheduled while timers fire: staged, then cancelled before it joins the heap.
                hub.schedule(FOREVER, () -> { }).cancel();
                for (int i = 0; i < 8; i++) {
                    // Had the staged timer been counted as cancelled in the heap, the eighth
                    // cancellation would compact, and the staged timer would then join the heap
                    // as if it were live.
                    sixteen.get(i).cancel();
                }
                done.countDown();
            });
            OnHub.await(done, "the callback");
            Eventlet.sleep();
            assertEquals(before + 8, hub.stats().timers(), "eight of sixteen timers are still pending");
            for (Timer t : sixteen) {
                t.cancel();
            }
            assertEquals(before, hub.stats().timers());
        });
    }

    @Test
    default void statsCountPendingTimers() {
        green(() -> {
            Hub hub = Hub.current();
            int before = hub.stats().timers();
            Timer t = hub.schedule(FOREVER, () -> { });
            assertEquals(before + 1, hub.stats().timers());
            t.cancel();
            assertEquals(before, hub.stats().timers());
        });
    }

    @Test
    default void greenThreadsListsTheLiveGreenThreads() throws Exception {
        try (Hub hub = Hub.start(provider())) {
            CountDownLatch started = new CountDownLatch(3);
            CountDownLatch release = new CountDownLatch(1);
            Set<GreenThread<?>> spawned = new HashSet<>();
            for (int i = 0; i < 3; i++) {
                spawned.add(hub.spawn(() -> {
                    started.countDown();
                    release.await();
                    return null;
                }));
            }
            OnHub.await(started, "the green threads to start");
            assertEquals(spawned, new HashSet<>(hub.greenThreads()));
            GreenThread<List<GreenThread<?>>> inside = hub.spawn(() -> hub.greenThreads());
            List<GreenThread<?>> seenInside = inside.join();
            assertTrue(seenInside.contains(inside), "a green thread lists itself");
            assertTrue(seenInside.containsAll(spawned));
            release.countDown();
            for (GreenThread<?> g : spawned) {
                g.join();
            }
            assertEquals(List.of(), hub.greenThreads());
        }
    }

    @Test
    default void aPlainThreadSeesTheDefaultHubAsCurrent() {
        Hub first = Hub.current();
        assertSame(first, Hub.current());
        assertFalse(first.isClosed());
        assertNull(Eventlet.current());
    }

    @Test
    default void manyGreenThreadsPingPongOverPipes() throws IOException {
        int pairs = 50;
        List<Pipe> pipes = new ArrayList<>();
        for (int i = 0; i < 2 * pairs; i++) {
            Pipe p = Pipe.open();
            p.source().configureBlocking(false);
            p.sink().configureBlocking(false);
            pipes.add(p);
        }
        try {
            int rounds = Hub.run(provider(), () -> {
                List<GreenThread<Integer>> all = new ArrayList<>();
                for (int i = 0; i < pairs; i++) {
                    Pipe there = pipes.get(2 * i);
                    Pipe back = pipes.get(2 * i + 1);
                    all.add(Eventlet.spawn(() -> pingPong(there.sink(), back.source(), 100, true)));
                    all.add(Eventlet.spawn(() -> pingPong(back.sink(), there.source(), 100, false)));
                }
                int sum = 0;
                for (GreenThread<Integer> g : all) {
                    sum += g.join();
                }
                return sum;
            });
            assertEquals(2 * pairs * 100, rounds);
        } finally {
            for (Pipe p : pipes) {
                p.source().close();
                p.sink().close();
            }
        }
    }

    /** Sends one byte and waits for one, {@code rounds} times; the second side answers. */
    private static int pingPong(Pipe.SinkChannel out, Pipe.SourceChannel in, int rounds, boolean first) throws IOException {
        ByteBuffer one = ByteBuffer.allocate(1);
        for (int i = 0; i < rounds; i++) {
            if (first) {
                out.write(ByteBuffer.wrap(new byte[] {(byte) i}));
            }
            one.clear();
            while (in.read(one) == 0) {
                Eventlet.trampoline(in, Interest.READ, Duration.ofSeconds(10));
            }
            if (!first) {
                out.write(ByteBuffer.wrap(new byte[] {(byte) i}));
            }
        }
        return rounds;
    }
}
