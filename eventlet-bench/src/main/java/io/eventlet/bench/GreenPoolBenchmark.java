package io.eventlet.bench;

import io.eventlet.GreenPool;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;

/**
 * Bounded spawning: {@link GreenPool#spawnN} of trivial tasks through a pool of 100, then
 * {@link GreenPool#waitAll}, beside the closest JDK idiom — a virtual-thread-per-task
 * {@link ExecutorService} gated by a {@link Semaphore} of 100, closed to wait for all. The score
 * is nanoseconds per task.
 */
public class GreenPoolBenchmark extends HubBenchmark {
    static final int TASKS = 10_000;
    static final int POOL = 100;

    @Benchmark
    @OperationsPerInvocation(TASKS)
    public long greenPool() {
        return onGreenThread(() -> {
            GreenPool pool = new GreenPool(POOL);
            AtomicLong ran = new AtomicLong();
            for (int i = 0; i < TASKS; i++) {
                pool.spawnN(ran::incrementAndGet);
            }
            pool.waitAll();
            return ran.get();
        });
    }

    @Benchmark
    @OperationsPerInvocation(TASKS)
    public long jdkExecutor() throws Exception {
        return onVirtualThread(() -> {
            AtomicLong ran = new AtomicLong();
            Semaphore slots = new Semaphore(POOL);
            try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int i = 0; i < TASKS; i++) {
                    slots.acquire();
                    executor.execute(() -> {
                        try {
                            ran.incrementAndGet();
                        } finally {
                            slots.release();
                        }
                    });
                }
            }
            return ran.get();
        });
    }
}
