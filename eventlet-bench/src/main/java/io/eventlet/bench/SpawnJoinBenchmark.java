package io.eventlet.bench;

import io.eventlet.GreenThread;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;

/**
 * Spawn a thread and wait for its result, one after the other: {@link io.eventlet.Hub#spawn} and
 * {@link GreenThread#join()} against {@code Thread.ofVirtual().start} and {@link Thread#join()}.
 * Each operation includes a switch to the child and the wake-up of the joiner.
 */
public class SpawnJoinBenchmark extends HubBenchmark {
    static final int THREADS = 1_000;

    @Benchmark
    @OperationsPerInvocation(THREADS)
    public long greenThreads() {
        return onGreenThread(() -> {
            long sum = 0;
            for (int i = 0; i < THREADS; i++) {
                int n = i;
                GreenThread<Integer> child = greenHub().spawn(() -> n);
                sum += child.join();
            }
            return sum;
        });
    }

    @Benchmark
    @OperationsPerInvocation(THREADS)
    public long jdkVirtualThreads() throws Exception {
        return onVirtualThread(() -> {
            long sum = 0;
            for (int i = 0; i < THREADS; i++) {
                int[] result = new int[1];
                int n = i;
                Thread.ofVirtual().start(() -> result[0] = n).join();   // join publishes result[0]
                sum += result[0];
            }
            return sum;
        });
    }
}
