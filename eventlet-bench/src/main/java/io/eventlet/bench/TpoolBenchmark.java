package io.eventlet.bench;

import io.eventlet.pool.Tpool;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * A round trip to a platform thread pool and back: {@link Tpool#execute} from a green thread,
 * beside {@code submit(task).get()} on a fixed pool of 20 platform threads (Tpool's default size)
 * from a plain JDK virtual thread. The task is trivial, so the score (nanoseconds per call) is
 * the cost of the hand-off both ways.
 */
public class TpoolBenchmark extends HubBenchmark {
    static final int CALLS = 1_000;

    private ExecutorService platformPool;

    @Setup(Level.Trial)
    public void openPool() {
        platformPool = Executors.newFixedThreadPool(20);
    }

    @TearDown(Level.Trial)
    public void closePool() {
        platformPool.shutdownNow();
    }

    @Benchmark
    @OperationsPerInvocation(CALLS)
    public long greenTpool() {
        return onGreenThread(() -> {
            long sum = 0;
            for (int i = 0; i < CALLS; i++) {
                int n = i;
                sum += Tpool.execute(() -> n + 1);
            }
            return sum;
        });
    }

    @Benchmark
    @OperationsPerInvocation(CALLS)
    public long jdkExecutorService() throws Exception {
        return onVirtualThread(() -> {
            long sum = 0;
            for (int i = 0; i < CALLS; i++) {
                int n = i;
                sum += platformPool.submit(() -> n + 1).get();
            }
            return sum;
        });
    }

    /** The checksum both bodies return. */
    static long expected() {
        return (long) CALLS * (CALLS + 1) / 2;
    }
}
