package io.eventlet.bench;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;

/**
 * Fire-and-forget spawning: {@link io.eventlet.Hub#spawnN} against
 * {@code Thread.ofVirtual().start}. A thread spawns {@link #THREADS} threads that each count
 * themselves done, and waits until the last one wakes it; the score is nanoseconds per thread,
 * from spawn to the end of its (empty) body.
 */
public class SpawnBenchmark extends HubBenchmark {
    static final int THREADS = 10_000;

    @Benchmark
    @OperationsPerInvocation(THREADS)
    public int greenThreads() {
        return onGreenThread(() -> spawnAndCount(THREADS, body -> greenHub().spawnN(body)));
    }

    @Benchmark
    @OperationsPerInvocation(THREADS)
    public int jdkVirtualThreads() throws Exception {
        return onVirtualThread(() -> spawnAndCount(THREADS, body -> Thread.ofVirtual().start(body)));
    }

    /** Spawns {@code threads} bodies with {@code spawn}, waits for all of them, returns how many ran. */
    static int spawnAndCount(int threads, Consumer<Runnable> spawn) {
        AtomicInteger remaining = new AtomicInteger(threads);
        Thread waiter = Thread.currentThread();
        Runnable body = () -> {
            if (remaining.decrementAndGet() == 0) {
                LockSupport.unpark(waiter);
            }
        };
        for (int i = 0; i < threads; i++) {
            spawn.accept(body);
        }
        while (remaining.get() != 0) {   // park may return spuriously
            LockSupport.park(remaining);
        }
        return threads;
    }
}
