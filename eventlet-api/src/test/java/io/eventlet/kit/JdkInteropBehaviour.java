package io.eventlet.kit;

import io.eventlet.Eventlet;
import io.eventlet.GreenExecutor;
import io.eventlet.GreenThread;
import io.eventlet.GreenThreadExit;
import io.eventlet.GreenThreadFactory;
import io.eventlet.Hub;
import io.eventlet.Timeout;
import io.eventlet.net.GreenServerSocket;
import io.eventlet.net.GreenSocket;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout.ThreadMode;

import static io.eventlet.kit.OnHub.FOREVER;
import static io.eventlet.kit.OnHub.LONG;
import static io.eventlet.kit.OnHub.LOOPBACK;
import static org.junit.jupiter.api.Assertions.*;

/**
 * {@code java.util.concurrent} interop, on every hub: structured concurrency subtasks are not
 * green threads unless made by the hub's {@link GreenThreadFactory}; {@link GreenExecutor}'s
 * tasks are green threads; a {@link Timeout} around a JDK blocking call interrupts it (and a kill
 * still ends it). One behaviour of the conformance kit, a test interface that
 * {@link HubConformance} implements. {@code StructuredTaskScope} is a preview API in JDK 25: the
 * cases call it through {@link Structured}.
 */
public interface JdkInteropBehaviour extends HubCases {
    /** A case of this behaviour: bounded on a thread of its own (on the method: see {@link HubCases}). */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.METHOD)
    @Test
    @org.junit.jupiter.api.Timeout(value = 30, threadMode = ThreadMode.SEPARATE_THREAD)
    @interface InteropCase {}

    /** A timeout a case expects to expire while the thread waits in a JDK call. */
    Duration SHORT = Duration.ofMillis(30);

    private void green(OnHub.Body body) {
        OnHub.run(provider(), body);
    }

    /** A JDK call a case blocks in. */
    @FunctionalInterface
    interface Blocking {
        void call() throws Exception;
    }

    /** Runs {@code call} under a {@link #SHORT} timeout; returns what it threw and checks the timeout expired. */
    private static Throwable underTimeout(Blocking call) {
        Throwable thrown = null;
        Timeout t = Timeout.start(SHORT);
        try {
            call.call();
        } catch (Throwable e) {
            thrown = e;
        } finally {
            t.close();
        }
        assertTrue(t.expired(), "the timeout should have expired");
        assertFalse(t.pending());
        assertFalse(Thread.currentThread().isInterrupted(), "no interrupt status is left after the timeout");
        return thrown;
    }

    /** After a timeout was delivered as an interrupt, nothing is raised again and no stale interrupt is left. */
    private static void nothingLeft() throws InterruptedException {
        Eventlet.sleep(SHORT.multipliedBy(2));   // would raise a timeout delivered twice
        Thread.sleep(1);                         // would throw on a stale interrupt
        assertFalse(Thread.currentThread().isInterrupted());
    }

    // ---- structured concurrency ---------------------------------------------------------------

    @InteropCase
    default void aSubtaskOfTheDefaultFactoryIsNotAGreenThread() {
        green(() -> {
            GreenThread<?> parent = Eventlet.current();
            try (Structured scope = Structured.open()) {
                Supplier<String> seen = scope.fork(() -> {
                    assertNull(Eventlet.current(), "a subtask inherited its parent's binding and took itself for it");
                    assertNull(GreenThread.current());
                    assertThrows(IllegalStateException.class, () -> Timeout.start(LONG), "a Timeout needs a green thread");
                    Eventlet.sleep(Duration.ofMillis(5));   // a plain sleep here: it used to park the parent's wait forever
                    return "plain";
                });
                scope.join();
                assertEquals("plain", seen.get());
            }
            assertSame(parent, Eventlet.current());
        });
    }

    @InteropCase
    default void aScopeWithTheGreenFactoryRunsSubtasksAsGreenThreadsOfTheHub() {
        green(() -> {
            Hub hub = Hub.current();
            GreenThread<?> parent = Eventlet.current();
            try (GreenServerSocket server = Eventlet.listen(LOOPBACK);
                 Structured scope = Structured.open(hub.threadFactory("sub"))) {
                Supplier<String> served = scope.fork(() -> {
                    assertSame(hub, Eventlet.current().hub());
                    assertNotSame(parent, Eventlet.current());
                    try (GreenSocket s = server.accept()) {
                        s.writeAll("hello".getBytes(StandardCharsets.US_ASCII));
                    }
                    return Thread.currentThread().getName();
                });
                Supplier<String> read = scope.fork(() -> {
                    assertTrue(hub.greenThreads().contains(Eventlet.current()), "a subtask is listed as a green thread");
                    Eventlet.sleep(Duration.ofMillis(5));
                    try (GreenSocket s = Eventlet.connect(server.localAddress())) {
                        byte[] b = new byte[5];
                        s.readFully(b);
                        return new String(b, StandardCharsets.US_ASCII);
                    }
                });
                scope.join();
                assertEquals("sub-1", served.get());
                assertEquals("hello", read.get());
            }
        });
    }

    @InteropCase
    default void aFailedGreenSubtaskCancelsTheOthersInTheirEventletWaits() {
        green(() -> {
            AtomicReference<Throwable> sibling = new AtomicReference<>();
            Structured scope = Structured.open(Hub.current().threadFactory());
            try {
                scope.fork(() -> {
                    try {
                        Eventlet.sleep(LONG);
                    } catch (Throwable e) {
                        sibling.set(e);
                        throw e;
                    }
                    return null;
                });
                scope.fork(() -> {
                    Eventlet.sleep(Duration.ofMillis(5));
                    throw new IllegalStateException("boom");
                });
                RuntimeException failed = assertThrows(RuntimeException.class, scope::join);
                assertEquals("boom", failed.getCause().getMessage(), failed::toString);
            } finally {
                scope.close();   // waits for the cancelled sibling: its interrupt ended its sleep
            }
            assertInstanceOf(GreenThreadExit.class, sibling.get());
        });
    }

    // ---- the green thread factory -------------------------------------------------------------

    @InteropCase
    default void aFactoryThreadStartedFromAPlainThreadIsAGreenThreadOfTheHub() throws Exception {
        try (Hub hub = Hub.start(provider())) {
            GreenThreadFactory factory = hub.threadFactory("worker");
            CountDownLatch running = new CountDownLatch(1);
            AtomicReference<Hub> ranOn = new AtomicReference<>();
            AtomicReference<Throwable> uncaught = new AtomicReference<>();
            Thread t = factory.newThread(() -> {
                ranOn.set(Eventlet.current().hub());
                running.countDown();
                Eventlet.sleep(FOREVER);
            });
            assertEquals("worker-1", t.getName());
            assertEquals(Thread.State.NEW, t.getState());
            t.setUncaughtExceptionHandler((th, e) -> uncaught.set(e));
            t.start();
            OnHub.await(running, "the factory thread to run");
            assertSame(hub, ranOn.get());
            GreenThread<?> g = hub.greenThreads().stream().filter(x -> x.thread() == t).findFirst().orElseThrow();
            g.kill();
            assertThrows(GreenThreadExit.class, g::join);
            assertTrue(t.join(Duration.ofSeconds(20)));
            assertNull(uncaught.get(), "a kill is not an uncaught exception");
            assertEquals("worker-2", factory.newThread(() -> { }).getName());
        }
    }

    @InteropCase
    default void anExceptionOfAFactoryThreadGoesToItsUncaughtExceptionHandler() throws Exception {
        try (Hub hub = Hub.start(provider())) {
            CompletableFuture<Throwable> seen = new CompletableFuture<>();
            IllegalStateException boom = new IllegalStateException("boom");
            Thread t = hub.threadFactory().newThread(() -> {
                throw boom;
            });
            t.setUncaughtExceptionHandler((th, e) -> seen.complete(th == t ? e : new AssertionError("handler called for " + th)));
            t.start();
            assertSame(boom, seen.get(20, TimeUnit.SECONDS));
        }
    }

    @InteropCase
    default void aClosedHubsFactoryMakesNoThreads() {
        Hub hub = Hub.start(provider());
        GreenThreadFactory factory = hub.threadFactory();
        hub.close();
        assertNull(factory.newThread(() -> { }));
    }

    // ---- the green executor -------------------------------------------------------------------

    @InteropCase
    default void supplyAsyncOnAGreenExecutorRunsInAGreenThreadOfTheHub() throws Exception {
        try (Hub hub = Hub.start(provider()); GreenExecutor executor = GreenExecutor.on(hub)) {
            CompletableFuture<Hub> ranOn = CompletableFuture.supplyAsync(() -> {
                Eventlet.sleep(Duration.ofMillis(5));   // on the hub's own thread this used to fail
                return Eventlet.current().hub();
            }, executor);
            assertSame(hub, ranOn.get(20, TimeUnit.SECONDS));
        }
    }

    @InteropCase
    default void aGreenCallerSubmitsAndWaitsWithoutBlockingItsHub() {
        green(() -> {
            try (GreenExecutor executor = GreenExecutor.on(Hub.current())) {
                Future<Integer> f = executor.submit(() -> {
                    Eventlet.sleep(Duration.ofMillis(5));
                    return 42;
                });
                assertEquals(42, f.get(20, TimeUnit.SECONDS));   // the task runs on this very hub meanwhile
                ExecutorCompletionService<String> ecs = new ExecutorCompletionService<>(executor);
                ecs.submit(() -> "a");
                ecs.submit(() -> "b");
                List<String> got = new ArrayList<>(List.of(ecs.take().get(), ecs.take().get()));
                got.sort(null);
                assertEquals(List.of("a", "b"), got);
                List<Future<Integer>> all = executor.invokeAll(List.of(() -> 1, () -> 2, () -> 3));
                int sum = 0;
                for (Future<Integer> x : all) {
                    sum += x.get();
                }
                assertEquals(6, sum);
            }
        });
    }

    @InteropCase
    default void shutdownLetsTasksFinishAndRejectsNewOnes() throws Exception {
        try (Hub hub = Hub.start(provider())) {
            GreenExecutor executor = GreenExecutor.on(hub);
            CountDownLatch release = new CountDownLatch(1);
            Future<String> f = executor.submit(() -> {
                release.await();
                return "finished";
            });
            executor.shutdown();
            assertTrue(executor.isShutdown());
            assertThrows(RejectedExecutionException.class, () -> executor.execute(() -> { }));
            assertFalse(executor.awaitTermination(10, TimeUnit.MILLISECONDS), "a task still runs");
            assertFalse(executor.isTerminated());
            release.countDown();
            assertEquals("finished", f.get(20, TimeUnit.SECONDS));
            assertTrue(executor.awaitTermination(20, TimeUnit.SECONDS));
            assertTrue(executor.isTerminated());
        }
    }

    @InteropCase
    default void shutdownNowKillsRunningTasksAndReturnsThoseNotBegun() {
        green(() -> {
            GreenExecutor executor = GreenExecutor.on(Hub.current());
            AtomicReference<Throwable> killed = new AtomicReference<>();
            AtomicBoolean laterRan = new AtomicBoolean();
            executor.execute(() -> {
                try {
                    Eventlet.sleep(FOREVER);
                } catch (Throwable e) {
                    killed.set(e);
                    throw e;
                }
            });
            Eventlet.sleep();                        // the first task begins
            Runnable later = () -> laterRan.set(true);
            executor.execute(later);                 // not begun: this thread has not yielded since
            assertEquals(List.of(later), executor.shutdownNow());
            assertTrue(executor.awaitTermination(20, TimeUnit.SECONDS));
            assertInstanceOf(GreenThreadExit.class, killed.get());
            Eventlet.sleep(Duration.ofMillis(5));
            assertFalse(laterRan.get(), "a task returned by shutdownNow ran");
        });
    }

    @InteropCase
    default void cancelWithInterruptionKillsTheTasksGreenThread() throws Exception {
        try (Hub hub = Hub.start(provider()); GreenExecutor executor = GreenExecutor.on(hub)) {
            CountDownLatch running = new CountDownLatch(1);
            CompletableFuture<Throwable> ended = new CompletableFuture<>();
            Future<Object> f = executor.submit(() -> {
                running.countDown();
                try {
                    Eventlet.sleep(FOREVER);
                } catch (Throwable e) {
                    ended.complete(e);
                    throw e;
                }
                return null;
            });
            OnHub.await(running, "the task to run");
            assertTrue(f.cancel(true));
            assertThrows(CancellationException.class, f::get);
            assertInstanceOf(GreenThreadExit.class, ended.get(20, TimeUnit.SECONDS));
        }
    }

    @InteropCase
    default void invokeAnyCancelsTheOthersOnceOneSucceeds() {
        green(() -> {
            try (GreenExecutor executor = GreenExecutor.on(Hub.current())) {
                AtomicInteger killed = new AtomicInteger();
                Callable<String> slow = () -> {
                    try {
                        Eventlet.sleep(FOREVER);
                    } catch (GreenThreadExit e) {
                        killed.incrementAndGet();
                        throw e;
                    }
                    return "slow";
                };
                assertEquals("fast", executor.invokeAny(List.of(slow, () -> {
                    Eventlet.sleep(Duration.ofMillis(5));
                    return "fast";
                }, slow)));
                executor.shutdown();
                assertTrue(executor.awaitTermination(20, TimeUnit.SECONDS));
                assertEquals(2, killed.get());
            }
        });
    }

    @InteropCase
    default void theHubsCloseKillsRunningTasksAndShutsTheExecutorDown() throws Exception {
        Hub hub = Hub.start(provider());
        GreenExecutor executor = GreenExecutor.on(hub);
        CountDownLatch running = new CountDownLatch(1);
        Future<Object> f = executor.submit(() -> {
            running.countDown();
            Eventlet.sleep(FOREVER);
            return null;
        });
        OnHub.await(running, "the task to run");
        hub.close();
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(20, TimeUnit.SECONDS));
        assertInstanceOf(GreenThreadExit.class, e.getCause());
        assertTrue(executor.isShutdown());
        assertTrue(executor.awaitTermination(20, TimeUnit.SECONDS));
        assertThrows(RejectedExecutionException.class, () -> executor.submit(() -> 1));
    }

    @InteropCase
    default void aTaskNotBegunWhenTheHubClosesNeverRunsAndItsFutureIsCancelled() throws Exception {
        AtomicReference<GreenExecutor> executor = new AtomicReference<>();
        AtomicBoolean ran = new AtomicBoolean();
        Future<?> f = Hub.run(provider(), () -> {
            executor.set(GreenExecutor.on(Hub.current()));
            return executor.get().submit(() -> ran.set(true));   // begins after main yields: main ends first
        });
        assertTrue(f.isCancelled());
        assertFalse(ran.get());
        assertTrue(executor.get().awaitTermination(20, TimeUnit.SECONDS));
    }

    @InteropCase
    default void awaitTerminationWithoutShutdownEndsWhenTheHubCloses() throws Exception {
        Hub hub = Hub.start(provider());
        GreenExecutor executor = GreenExecutor.on(hub);
        assertFalse(executor.awaitTermination(1, TimeUnit.MILLISECONDS));
        hub.close();
        assertTrue(executor.awaitTermination(20, TimeUnit.SECONDS));
        assertTrue(executor.isTerminated());
    }

    // ---- a Timeout around JDK blocking calls --------------------------------------------------

    @InteropCase
    default void aTimeoutInterruptsThreadSleep() {
        green(() -> {
            assertInstanceOf(InterruptedException.class, underTimeout(() -> Thread.sleep(LONG)));
            nothingLeft();
        });
    }

    @InteropCase
    default void aTimeoutInterruptsConditionAwait() {
        green(() -> {
            ReentrantLock lock = new ReentrantLock();
            Condition never = lock.newCondition();
            lock.lock();
            try {
                assertInstanceOf(InterruptedException.class, underTimeout(never::await));
            } finally {
                lock.unlock();
            }
            nothingLeft();
        });
    }

    @InteropCase
    default void aTimeoutInterruptsObjectWait() {
        green(() -> {
            Object monitor = new Object();
            synchronized (monitor) {
                assertInstanceOf(InterruptedException.class, underTimeout(monitor::wait));
            }
            nothingLeft();
        });
    }

    @InteropCase
    default void aTimeoutInterruptsBlockingQueueTake() {
        green(() -> {
            LinkedBlockingQueue<String> queue = new LinkedBlockingQueue<>();
            assertInstanceOf(InterruptedException.class, underTimeout(queue::take));
            nothingLeft();
        });
    }

    @InteropCase
    default void aTimeoutInterruptsFutureGet() {
        green(() -> {
            CompletableFuture<String> never = new CompletableFuture<>();
            assertInstanceOf(InterruptedException.class, underTimeout(never::get));
            nothingLeft();
        });
    }

    @InteropCase
    default void aTimeoutClosesAnInterruptibleChannelBlockedInARead() {
        green(() -> {
            java.nio.channels.Pipe pipe = java.nio.channels.Pipe.open();
            try (var source = pipe.source(); var sink = pipe.sink()) {
                Throwable thrown = underTimeout(() -> source.read(java.nio.ByteBuffer.allocate(1)));
                assertInstanceOf(java.nio.channels.ClosedByInterruptException.class, thrown);
                assertFalse(source.isOpen(), "an interrupted channel is closed");
            }
            nothingLeft();
        });
    }

    @InteropCase
    default void aTimeoutInterruptsStructuredTaskScopeJoin() {
        green(() -> {
            Structured scope = Structured.open(Hub.current().threadFactory());
            try {
                scope.fork(() -> {
                    Eventlet.sleep(LONG);
                    return null;
                });
                assertInstanceOf(InterruptedException.class, underTimeout(scope::join));
            } finally {
                scope.close();   // cancels the subtask: its interrupt ends its sleep
            }
            nothingLeft();
        });
    }

    @InteropCase
    default void aTimeoutClosesAJdkSocketBlockedInARead() {
        green(() -> {
            try (ServerSocket server = new ServerSocket(0, 1, LOOPBACK.getAddress());
                 Socket client = new Socket(LOOPBACK.getAddress(), server.getLocalPort());
                 Socket accepted = server.accept()) {
                Throwable thrown = underTimeout(() -> client.getInputStream().read());
                assertInstanceOf(SocketException.class, thrown);
                assertTrue(client.isClosed(), "the JDK closes a socket whose read is interrupted");
            }
            nothingLeft();
        });
    }

    @InteropCase
    default void anUninterruptibleCallGoesOnAndTheTimeoutIsRaisedAtTheNextEventletWait() {
        green(() -> {
            ReentrantLock lock = new ReentrantLock();
            CountDownLatch release = new CountDownLatch(1);
            GreenThread<Void> holder = Eventlet.spawn(() -> {
                lock.lock();
                try {
                    release.await();
                } finally {
                    lock.unlock();
                }
                return null;
            });
            Eventlet.sleep();
            assertTrue(lock.isLocked(), "the holder should own the lock");
            Timeout t = Timeout.start(Duration.ofMillis(1));
            // Scheduled after the timeout with a longer delay: the lock is released only once the
            // timeout has expired while this thread waits in lock().
            Hub.current().schedule(SHORT, release::countDown);
            lock.lock();                             // ignores the interrupt
            try {
                assertTrue(t.expired());
                assertTrue(Thread.currentThread().isInterrupted(), "the timeout interrupted the thread");
            } finally {
                lock.unlock();
            }
            assertSame(t, assertThrows(Timeout.class, Eventlet::sleep));
            assertFalse(Thread.currentThread().isInterrupted(), "raising the timeout cleared its interrupt");
            holder.join();
            nothingLeft();
        });
    }

    @InteropCase
    default void closingTheTimeoutAfterAnIgnoredInterruptClearsIt() {
        green(() -> {
            Object monitor = new Object();
            CountDownLatch holding = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            GreenThread<Void> holder = Eventlet.spawn(() -> {
                synchronized (monitor) {
                    holding.countDown();
                    release.await();
                }
                return null;
            });
            OnHub.await(holding, "the holder to own the monitor");
            try (Timeout t = Timeout.start(Duration.ofMillis(1))) {
                Hub.current().schedule(SHORT, release::countDown);
                synchronized (monitor) {             // ignores the interrupt
                    assertTrue(t.expired());
                }
                // Restoring the status after an InterruptedException leaves it set the same way.
            }
            assertFalse(Thread.currentThread().isInterrupted(), "close() cleared the interrupt its timeout set");
            holder.join();
            nothingLeft();
        });
    }

    @InteropCase
    default void aCancelledTimeoutNeverInterrupts() {
        green(() -> {
            Timeout t = Timeout.start(Duration.ofMillis(20));
            t.cancel();
            Thread.sleep(Duration.ofMillis(60));     // well past the cancelled deadline: not interrupted
            assertFalse(t.expired());
            assertFalse(Thread.currentThread().isInterrupted());
        });
    }

    @InteropCase
    default void nestedTimeoutsAroundAJdkCallTellWhichExpired() {
        green(() -> {
            try (Timeout outer = Timeout.start(LONG)) {
                Timeout inner = Timeout.start(SHORT);
                try {
                    Thread.sleep(LONG);
                    fail("not interrupted");
                } catch (InterruptedException e) {
                    assertTrue(inner.expired());
                    assertFalse(outer.expired());
                } finally {
                    inner.close();
                }
                assertTrue(outer.pending());
                nothingLeft();
            }
        });
    }

    @InteropCase
    default void withTimeoutReturnsItsValueWhenItInterruptsAJdkCall() {
        green(() -> {
            assertEquals("timed out", Timeout.withTimeout(SHORT, () -> {
                Thread.sleep(LONG);
                return "slept";
            }, "timed out"));
            nothingLeft();
        });
    }

    // ---- kill around the same calls -----------------------------------------------------------

    /** Spawns {@code call} in a green thread, kills it once it blocks, and checks it ended with the kill. */
    private static void killEnds(Blocking call) throws InterruptedException {
        CountDownLatch blocking = new CountDownLatch(1);
        GreenThread<Object> g = Eventlet.spawn(() -> {
            blocking.countDown();
            call.call();
            return "not killed";
        });
        OnHub.await(blocking, "the victim to block");
        Eventlet.sleep();
        g.kill();
        assertThrows(GreenThreadExit.class, g::join);
    }

    @InteropCase
    default void aKillStillEndsTheJdkCalls() {
        green(() -> {
            killEnds(() -> Thread.sleep(LONG));
            ReentrantLock lock = new ReentrantLock();
            Condition never = lock.newCondition();
            killEnds(() -> {
                lock.lock();
                try {
                    never.await();
                } finally {
                    lock.unlock();
                }
            });
            Object monitor = new Object();
            killEnds(() -> {
                synchronized (monitor) {
                    monitor.wait();
                }
            });
            killEnds(() -> new LinkedBlockingQueue<>().take());
            killEnds(() -> {
                Structured scope = Structured.open(Hub.current().threadFactory());
                try {
                    scope.fork(() -> {
                        Eventlet.sleep(LONG);
                        return null;
                    });
                    scope.join();
                } finally {
                    scope.close();
                }
            });
            try (ServerSocket server = new ServerSocket(0, 1, LOOPBACK.getAddress());
                 Socket client = new Socket(LOOPBACK.getAddress(), server.getLocalPort());
                 Socket accepted = server.accept()) {
                killEnds(() -> client.getInputStream().read());
            }
        });
    }
}
