package io.eventlet.kit;

import io.eventlet.Eventlet;
import io.eventlet.GreenThread;
import io.eventlet.GreenThreadExit;
import io.eventlet.Hub;
import io.eventlet.pool.Tpool;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static io.eventlet.kit.OnHub.FOREVER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The behaviour of green threads (eventlet's {@code test_greenthread.py}), written once and run
 * against every kind of hub: one behaviour of the conformance kit, a test interface that
 * {@link HubConformance} implements.
 */
public interface GreenThreadBehaviour extends HubCases {
    private void green(OnHub.Body body) {
        OnHub.run(provider(), body);
    }

    // ---- results through join -----------------------------------------------------------------

    @Test
    default void joinReturnsTheResult() {
        green(() -> assertEquals(42, Eventlet.spawn(() -> 6 * 7).join()));
    }

    @Test
    default void joinRethrowsAnUncheckedExceptionAsItIs() {
        green(() -> {
            IllegalArgumentException boom = new IllegalArgumentException("boom");
            GreenThread<Object> g = Eventlet.spawn(() -> {
                throw boom;
            });
            assertSame(boom, assertThrows(IllegalArgumentException.class, g::join));
            assertSame(boom, assertThrows(IllegalArgumentException.class, g::join), "join again");
        });
    }

    @Test
    default void joinRethrowsAnErrorAsItIs() {
        green(() -> {
            StackOverflowError error = new StackOverflowError("deep");
            GreenThread<Object> g = Eventlet.spawn(() -> {
                throw error;
            });
            assertSame(error, assertThrows(StackOverflowError.class, g::join));
        });
    }

    @Test
    default void joinWrapsACheckedExceptionInCompletionException() {
        green(() -> {
            IOException io = new IOException("disk");
            GreenThread<Object> g = Eventlet.spawn(() -> {
                throw io;
            });
            CompletionException e = assertThrows(CompletionException.class, g::join);
            assertSame(io, e.getCause());
        });
    }

    @Test
    default void aGreenThreadCannotJoinItself() {
        green(() -> {
            AtomicReference<GreenThread<?>> self = new AtomicReference<>();
            GreenThread<Object> g = Eventlet.spawn(() -> {
                Eventlet.sleep();
                return self.get().join();
            });
            self.set(g);
            assertThrows(IllegalStateException.class, g::join);
        });
    }

    // ---- when green threads start -------------------------------------------------------------

    @Test
    default void spawnStartsOnlyWhenTheSpawnerYields() {
        green(() -> {
            AtomicBoolean ran = new AtomicBoolean();
            GreenThread<String> g = Eventlet.spawn(() -> {
                ran.set(true);
                return "done";
            });
            assertFalse(ran.get(), "the body ran before the spawner yielded");
            assertFalse(g.isStarted());
            assertFalse(g.isDone());
            Eventlet.sleep();
            assertTrue(ran.get());
            assertTrue(g.isStarted());
            assertTrue(g.isDone());
            assertEquals("done", g.join());
        });
    }

    @Test
    default void spawnedThreadsStartInSpawnOrder() {
        green(() -> {
            List<Integer> order = Collections.synchronizedList(new ArrayList<>());
            List<GreenThread<Object>> all = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                int n = i;
                all.add(Eventlet.spawn(() -> order.add(n)));
            }
            for (GreenThread<Object> g : all) {
                g.join();
            }
            List<Integer> expected = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                expected.add(i);
            }
            assertEquals(expected, order);
        });
    }

    /**
     * eventlet's {@code sleep(0)} is a timer like any other: threads whose timers were already
     * due when another yielded resume first. Timers made overdue by a thread holding the hub,
     * then zero sleeps: every timer sleeper must wake before any zero sleeper (they did not
     * when a yield went straight to the ready queue, which runs before due timers).
     */
    @Test
    @Timeout(60)
    default void aZeroSleepResumesAfterTheThreadsOfOverdueTimers() {
        green(() -> {
            int n = 500;
            List<String> woke = new ArrayList<>();   // the hub's thread only: no lock needed
            List<GreenThread<Object>> all = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                Duration d = Duration.ofMillis(1 + i % 5);
                all.add(Eventlet.spawn(() -> {
                    Eventlet.sleep(d);
                    return woke.add("timer");
                }));
            }
            // Runs after the timer sleepers have armed their timers, in the same turn.
            all.add(Eventlet.spawn(() -> {
                long end = System.nanoTime() + Duration.ofMillis(20).toNanos();
                while (System.nanoTime() - end < 0) {
                    Thread.onSpinWait();   // holds the hub: every timer above becomes overdue
                }
                return null;
            }));
            for (int i = 0; i < n; i++) {
                all.add(Eventlet.spawn(() -> {
                    Eventlet.sleep(Duration.ZERO);
                    return woke.add("zero");
                }));
            }
            for (GreenThread<Object> g : all) {
                g.join();
            }
            assertEquals(2 * n, woke.size());
            assertEquals(n, woke.lastIndexOf("timer") + 1,
                    "a zero sleeper woke before a thread whose timer was already due, at " + woke.indexOf("zero"));
        });
    }

    @Test
    default void spawnNIsNotDoneRightAfterSpawnButIsAfterSleep() {
        green(() -> {
            AtomicBoolean ran = new AtomicBoolean();
            Eventlet.spawnN(() -> ran.set(true));
            assertFalse(ran.get());
            Eventlet.sleep();
            assertTrue(ran.get());
        });
    }

    @Test
    default void sleepRunsTheCallerAfterEverythingAlreadyRunnable() {
        green(() -> {
            List<String> order = Collections.synchronizedList(new ArrayList<>());
            GreenThread<Object> a = Eventlet.spawn(() -> {
                order.add("a1");
                Eventlet.sleep();
                return order.add("a2");
            });
            GreenThread<Object> b = Eventlet.spawn(() -> order.add("b"));
            Eventlet.sleep();
            order.add("main");
            a.join();
            b.join();
            // a yielded after b and main were runnable: both run before a resumes.
            assertEquals(List.of("a1", "b", "main", "a2"), order);
        });
    }

    @Test
    default void sleepWithADurationWaitsAtLeastThatLong() {
        green(() -> {
            long start = System.nanoTime();
            Eventlet.sleep(Duration.ofMillis(30));
            assertTrue(System.nanoTime() - start >= Duration.ofMillis(30).toNanos());
        });
    }

    // ---- kill and cancel ----------------------------------------------------------------------

    @Test
    default void killBeforeStartNeverRunsBody() {
        green(() -> {
            AtomicBoolean ran = new AtomicBoolean();
            GreenThread<Object> g = Eventlet.spawn(() -> ran.getAndSet(true));
            g.kill();
            assertTrue(g.isDone());
            Eventlet.sleep();
            assertFalse(ran.get(), "a killed thread's body ran");
            assertFalse(g.isStarted());
            assertThrows(GreenThreadExit.class, g::join);
        });
    }

    @Test
    default void killOfASleepingThreadRunsItsCatchAndFinallyBeforeKillReturns() {
        green(() -> {
            List<String> seen = Collections.synchronizedList(new ArrayList<>());
            GreenThread<Object> g = Eventlet.spawn(() -> {
                try {
                    seen.add("sleeping");
                    Eventlet.sleep(FOREVER);
                    seen.add("woke");
                } catch (GreenThreadExit e) {
                    seen.add("catch");
                    throw e;
                } finally {
                    seen.add("finally");
                }
                return null;
            });
            Eventlet.sleep();
            assertEquals(List.of("sleeping"), seen);
            g.kill();
            assertEquals(List.of("sleeping", "catch", "finally"), seen);
            assertTrue(g.isDone());
            assertThrows(GreenThreadExit.class, g::join);
        });
    }

    @Test
    default void aSecondKillIsANoOp() {
        green(() -> {
            GreenThread<Object> g = Eventlet.spawn(() -> {
                Eventlet.sleep(FOREVER);
                return null;
            });
            Eventlet.sleep();
            g.kill();
            GreenThreadExit first = assertThrows(GreenThreadExit.class, g::join);
            g.kill();
            g.kill(new IllegalStateException("too late"));
            assertSame(first, assertThrows(GreenThreadExit.class, g::join));
        });
    }

    @Test
    default void killOfAFinishedThreadKeepsItsResult() {
        green(() -> {
            GreenThread<String> g = Eventlet.spawn(() -> "kept");
            assertEquals("kept", g.join());
            g.kill();
            assertEquals("kept", g.join());
        });
    }

    @Test
    default void killWithACustomExceptionRaisesItInTheVictimAndInJoin() {
        green(() -> {
            IllegalStateException custom = new IllegalStateException("stop now");
            AtomicReference<Throwable> caught = new AtomicReference<>();
            GreenThread<Object> g = Eventlet.spawn(() -> {
                try {
                    Eventlet.sleep(FOREVER);
                } catch (IllegalStateException e) {
                    caught.set(e);
                    throw e;
                }
                return null;
            });
            Eventlet.sleep();
            g.kill(custom);
            assertSame(custom, caught.get());
            assertSame(custom, assertThrows(IllegalStateException.class, g::join));
        });
    }

    @Test
    default void aGreenThreadKillingItselfThrowsAtOnce() {
        green(() -> {
            AtomicBoolean after = new AtomicBoolean();
            GreenThread<Object> g = Eventlet.spawn(() -> {
                Eventlet.current().kill();
                after.set(true);
                return null;
            });
            assertThrows(GreenThreadExit.class, g::join);
            assertFalse(after.get(), "code after a self-kill ran");
        });
    }

    @Test
    default void killInterruptsABlockingJdkCall() {
        green(() -> {
            LinkedBlockingQueue<String> queue = new LinkedBlockingQueue<>();
            CountDownLatch waiting = new CountDownLatch(1);
            GreenThread<String> g = Eventlet.spawn(() -> {
                waiting.countDown();
                return queue.take();
            });
            OnHub.await(waiting, "the victim to block");
            Eventlet.sleep();
            g.kill();
            GreenThreadExit e = assertThrows(GreenThreadExit.class, g::join);
            assertEquals(1, e.getSuppressed().length, "the InterruptedException it caused is kept");
            assertInstanceOf(InterruptedException.class, e.getSuppressed()[0]);
        });
    }

    @Test
    default void killFromAPlainThreadEndsASleepingThread() throws Exception {
        try (Hub hub = Hub.start(provider())) {
            CountDownLatch sleeping = new CountDownLatch(1);
            AtomicBoolean cleanedUp = new AtomicBoolean();
            GreenThread<Object> g = hub.spawn(() -> {
                try {
                    sleeping.countDown();
                    Eventlet.sleep(FOREVER);
                } finally {
                    cleanedUp.set(true);
                }
                return null;
            });
            OnHub.await(sleeping, "the victim to sleep");
            g.kill();
            assertThrows(GreenThreadExit.class, g::join);
            assertTrue(cleanedUp.get());
        }
    }

    @Test
    default void cancelKillsOnlyAThreadThatHasNotStarted() {
        green(() -> {
            AtomicBoolean ran = new AtomicBoolean();
            GreenThread<Object> early = Eventlet.spawn(() -> ran.getAndSet(true));
            assertTrue(early.cancel());
            assertThrows(GreenThreadExit.class, early::join);
            assertFalse(ran.get());

            GreenThread<String> running = Eventlet.spawn(() -> {
                Eventlet.sleep(Duration.ofMillis(20));
                return "finished";
            });
            Eventlet.sleep();
            assertTrue(running.isStarted());
            assertFalse(running.cancel(), "cancel of a running thread");
            assertEquals("finished", running.join());
            assertFalse(running.cancel(), "cancel of a finished thread");
        });
    }

    // ---- spawnAfter ---------------------------------------------------------------------------

    @Test
    default void spawnAfterRunsTheBodyAfterTheDelay() {
        green(() -> {
            long start = System.nanoTime();
            GreenThread<Long> g = Eventlet.spawnAfter(Duration.ofMillis(40), System::nanoTime);
            Eventlet.sleep();
            assertFalse(g.isStarted());
            long ranAt = g.join();
            assertTrue(ranAt - start >= Duration.ofMillis(40).toNanos(), "ran after " + (ranAt - start) + " ns");
        });
    }

    @Test
    default void spawnAfterThenCancelNeverRuns() {
        green(() -> {
            AtomicBoolean ran = new AtomicBoolean();
            GreenThread<Object> g = Eventlet.spawnAfter(Duration.ofMillis(10), () -> ran.getAndSet(true));
            assertTrue(g.cancel());
            assertThrows(GreenThreadExit.class, g::join);
            // Timers fire in deadline order: once a later one has run, the cancelled one had its chance.
            Eventlet.spawnAfter(Duration.ofMillis(30), () -> null).join();
            assertFalse(ran.get(), "a cancelled spawnAfter ran");
        });
    }

    @Test
    default void spawnAfterCancelledFromAPlainThreadNeverRuns() throws Exception {
        try (Hub hub = Hub.start(provider())) {
            AtomicBoolean ran = new AtomicBoolean();
            GreenThread<Object> g = hub.spawnAfter(Duration.ofMillis(30), () -> ran.getAndSet(true));
            assertTrue(g.cancel());
            assertThrows(GreenThreadExit.class, g::join);
            hub.spawnAfter(Duration.ofMillis(60), () -> null).join();
            assertFalse(ran.get(), "a cancelled spawnAfter ran");
        }
    }

    @Test
    default void spawnAfterCannotBeCancelledOnceStarted() {
        green(() -> {
            GreenThread<String> g = Eventlet.spawnAfter(Duration.ZERO, () -> "ran");
            assertEquals("ran", g.join());
            assertFalse(g.cancel());
            assertEquals("ran", g.join());
        });
    }

    // ---- links --------------------------------------------------------------------------------

    @Test
    default void linkAfterExitFiresAtOnce() {
        green(() -> {
            GreenThread<String> g = Eventlet.spawn(() -> "x");
            g.join();
            AtomicInteger calls = new AtomicInteger();
            g.link(done -> calls.incrementAndGet());
            assertEquals(1, calls.get(), "the link ran before link() returned");
        });
    }

    @Test
    default void linkFiresOnceWhenTheThreadEnds() {
        green(() -> {
            AtomicInteger calls = new AtomicInteger();
            GreenThread<String> g = Eventlet.spawn(() -> "x");
            g.link(done -> calls.incrementAndGet());
            assertEquals(0, calls.get());
            g.join();
            Eventlet.sleep();
            assertEquals(1, calls.get());
        });
    }

    @Test
    default void aLinkAddedInsideALinkFiresExactlyOnce() {
        green(() -> {
            AtomicInteger inner = new AtomicInteger();
            GreenThread<String> g = Eventlet.spawn(() -> "x");
            g.link(done -> done.link(again -> inner.incrementAndGet()));
            g.join();
            Eventlet.sleep();
            assertEquals(1, inner.get());
        });
    }

    @Test
    default void unlinkReturnsWhetherItRemovedTheLink() {
        green(() -> {
            AtomicInteger calls = new AtomicInteger();
            Consumer<GreenThread<String>> link = done -> calls.incrementAndGet();
            GreenThread<String> g = Eventlet.spawn(() -> "x");
            assertFalse(g.unlink(link), "unlink of a link never added");
            g.link(link);
            assertTrue(g.unlink(link));
            assertFalse(g.unlink(link), "a second unlink");
            g.join();
            Eventlet.sleep();
            assertEquals(0, calls.get(), "an unlinked link ran");
        });
    }

    @Test
    default void linksSeeTheThreadDoneWithItsOutcome() {
        green(() -> {
            AtomicReference<String> seen = new AtomicReference<>();
            GreenThread<String> g = Eventlet.spawn(() -> "result");
            g.link(done -> seen.set(done.isDone() + " " + done.join()));
            IllegalStateException boom = new IllegalStateException("boom");
            AtomicReference<Throwable> seenFailure = new AtomicReference<>();
            GreenThread<String> f = Eventlet.spawn(() -> {
                throw boom;
            });
            f.link(done -> seenFailure.set(assertThrows(IllegalStateException.class, done::join)));
            g.join();
            assertThrows(IllegalStateException.class, f::join);
            Eventlet.sleep();
            assertEquals("true result", seen.get());
            assertSame(boom, seenFailure.get());
        });
    }

    @Test
    default void aThrowingLinkDoesNotStopTheOthers() {
        green(() -> {
            AtomicInteger calls = new AtomicInteger();
            GreenThread<String> g = Eventlet.spawn(() -> "x");
            g.link(done -> {
                throw new IllegalStateException("a bad link (expected in the log)");
            });
            g.link(done -> calls.incrementAndGet());
            assertEquals("x", g.join());
            Eventlet.sleep();
            assertEquals(1, calls.get());
        });
    }

    // ---- the JDK's view: thread locals, locks, plain threads -----------------------------------

    @Test
    default void threadLocalsArePerGreenThread() {
        green(() -> {
            ThreadLocal<String> local = new ThreadLocal<>();
            local.set("main");
            List<GreenThread<String>> all = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                String mine = "g" + i;
                all.add(Eventlet.spawn(() -> {
                    assertNull(local.get(), "a new green thread sees another's value");
                    local.set(mine);
                    Eventlet.sleep();
                    return local.get();
                }));
            }
            for (int i = 0; i < 3; i++) {
                assertEquals("g" + i, all.get(i).join());
            }
            assertEquals("main", local.get());
        });
    }

    @Test
    @Timeout(20)
    default void synchronizedHeldAcrossSleepDoesNotBlockOtherGreenThreads() {
        Object monitor = new Object();
        lockHeldAcrossSleep(inside -> {
            synchronized (monitor) {
                inside.run();
            }
        });
    }

    @Test
    @Timeout(20)
    default void reentrantLockHeldAcrossSleepDoesNotBlockOtherGreenThreads() {
        ReentrantLock lock = new ReentrantLock();
        lockHeldAcrossSleep(inside -> {
            lock.lock();
            try {
                inside.run();
            } finally {
                lock.unlock();
            }
        });
    }

    /**
     * Holder takes the lock and sleeps; a bystander that does not need the lock runs meanwhile; a
     * contender waits for the lock and gets it after the holder lets go. A lock that pinned the
     * hub's thread would deadlock the hub (its timer could not wake the holder).
     */
    private void lockHeldAcrossSleep(Consumer<Runnable> withLock) {
        green(() -> {
            List<String> order = Collections.synchronizedList(new ArrayList<>());
            GreenThread<Object> holder = Eventlet.spawn(() -> {
                withLock.accept(() -> {
                    order.add("holder in");
                    Eventlet.sleep(Duration.ofMillis(30));
                    order.add("holder out");
                });
                return null;
            });
            GreenThread<Object> bystander = Eventlet.spawn(() -> order.add("bystander"));
            GreenThread<Object> contender = Eventlet.spawn(() -> {
                withLock.accept(() -> order.add("contender in"));
                return null;
            });
            holder.join();
            bystander.join();
            contender.join();
            assertEquals(List.of("holder in", "bystander", "holder out", "contender in"), order);
        });
    }

    @Test
    default void joinFromAPlainThreadBlocksItUntilDone() throws Exception {
        try (Hub hub = Hub.start(provider())) {
            CountDownLatch release = new CountDownLatch(1);
            GreenThread<Integer> g = hub.spawn(() -> {
                release.await();
                return 7;
            });
            AtomicReference<Object> joined = new AtomicReference<>();
            Thread joiner = Thread.ofPlatform().start(() -> joined.set(g.join()));
            // Release the green thread only once the plain joiner is really blocked in join.
            while (joiner.getState() != Thread.State.WAITING) {
                if (!joiner.isAlive()) {
                    fail("join returned before the green thread was released: " + joined.get());
                }
                Thread.onSpinWait();
            }
            assertNull(joined.get());
            assertFalse(g.isDone());
            release.countDown();
            joiner.join();
            assertEquals(7, joined.get());
            assertTrue(g.isDone());
        }
    }

    @Test
    default void spawnFromAPlainThreadUsesTheDefaultHub() {
        GreenThread<Hub> g = Eventlet.spawn(Hub::current);
        Hub hub = g.join();
        assertSame(hub, g.hub());
        assertSame(hub, Hub.current(), "a plain thread's current hub is the default hub");
        assertFalse(hub.isClosed());
    }

    // ---- names --------------------------------------------------------------------------------

    @Test
    @org.junit.jupiter.api.Timeout(30)
    default void defaultNamesSayTheHubAndCountFromOnePerHub() {
        green(() -> {
            String prefix = Hub.current().name() + "-green-";
            assertEquals(prefix + "1", Thread.currentThread().getName(), "the main green thread is the hub's first");
            assertEquals(prefix + "1", GreenThread.current().name());
            List<GreenThread<String>> spawned = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                spawned.add(Eventlet.spawn(() -> Thread.currentThread().getName()));
            }
            GreenThread<String> later = Eventlet.spawnAfter(Duration.ZERO, () -> Thread.currentThread().getName());
            java.util.Set<String> seen = new java.util.HashSet<>();
            for (int i = 0; i < spawned.size(); i++) {
                GreenThread<String> g = spawned.get(i);
                assertEquals(prefix + (i + 2), g.name(), "numbered in spawn order");
                assertEquals(g.name(), g.join(), "the name is the JDK thread's name inside it");
                assertTrue(seen.add(g.join()), "unique: " + g.join());
            }
            assertEquals(prefix + "52", later.name());
            assertEquals(later.name(), later.join());
            Hub other = Hub.start(provider());
            try {
                GreenThread<String> first = other.spawn(() -> Thread.currentThread().getName());
                assertEquals(other.name() + "-green-1", first.join(), "another hub counts from 1");
                assertTrue(first.toString().contains(first.name()), first.toString());
            } finally {
                other.close();
            }
        });
    }

    @Test
    @org.junit.jupiter.api.Timeout(30)
    default void anExplicitNameIsTheThreadsNameEverywhere() {
        green(() -> {
            CountDownLatch release = new CountDownLatch(1);
            LinkedBlockingQueue<String> fromInside = new LinkedBlockingQueue<>();
            GreenThread<String> worker = Eventlet.spawn("order-worker", () -> {
                fromInside.add(Thread.currentThread().getName());
                release.await();
                return Thread.currentThread().getName();
            });
            Eventlet.spawnN("fire-and-forget", () -> fromInside.add(Thread.currentThread().getName()));
            GreenThread<String> delayed = Eventlet.spawnAfter("delayed", Duration.ofMillis(1), () -> Thread.currentThread().getName());
            assertEquals("order-worker", worker.name());
            assertEquals("delayed", delayed.name(), "named before it starts");
            assertEquals("delayed", delayed.join());
            assertEquals(java.util.Set.of("order-worker", "fire-and-forget"),
                    java.util.Set.of(fromInside.take(), fromInside.take()));
            List<String> listed = Hub.current().greenThreads().stream().map(GreenThread::name).toList();
            assertTrue(listed.contains("order-worker"), "Hub.greenThreads() shows the name: " + listed);
            assertTrue(worker.toString().startsWith("GreenThread[order-worker #"), worker.toString());
            release.countDown();
            assertEquals("order-worker", worker.join());
            GreenThread<String> onHub = Hub.current().spawn("via-hub", () -> Thread.currentThread().getName());
            assertEquals("via-hub", onHub.join());
            assertEquals(Hub.current().name() + "-green-2", Eventlet.spawn(() -> "x").name(),
                    "named threads take no number: the next default one is the hub's second");
        });
    }

    @Test
    @org.junit.jupiter.api.Timeout(30)
    default void aThreadDumpShowsTheGreenThreadsName() {
        green(() -> {
            CountDownLatch release = new CountDownLatch(1);
            GreenThread<Void> waiter = Eventlet.spawn("dump-me-please", () -> {
                release.await();
                return null;
            });
            GreenThread<Void> unnamed = Eventlet.spawn(() -> {
                release.await();
                return null;
            });
            Eventlet.sleep();   // both start and wait
            java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("eventlet-dump-");
            java.nio.file.Path file = dir.resolve("threads.json");
            try {
                // The JDK's thread dump (what jcmd Thread.dump_to_file writes), taken on a
                // platform thread of the Tpool so the hub goes on while the file is written.
                Tpool.execute(() -> {
                    // HotSpotDiagnosticMXBean.dumpThreads by its JMX name: the tests run inside
                    // the io.eventlet module, which does not read jdk.management.
                    java.lang.management.ManagementFactory.getPlatformMBeanServer().invoke(
                            new javax.management.ObjectName("com.sun.management:type=HotSpotDiagnostic"), "dumpThreads",
                            new Object[] {file.toString(), "JSON"}, new String[] {String.class.getName(), String.class.getName()});
                    return null;
                });
                String dump = java.nio.file.Files.readString(file);
                assertTrue(dump.contains("\"dump-me-please\""), "the explicit name is in the dump");
                assertTrue(dump.contains("\"" + unnamed.name() + "\""), "the default name is in the dump: " + unnamed.name());
            } finally {
                release.countDown();
                java.nio.file.Files.deleteIfExists(file);
                java.nio.file.Files.delete(dir);
            }
            waiter.join();
            unnamed.join();
        });
    }
}
