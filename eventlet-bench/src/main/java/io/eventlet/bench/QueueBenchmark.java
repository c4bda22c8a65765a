package io.eventlet.bench;

import io.eventlet.sync.LightQueue;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.SynchronousQueue;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.OperationsPerInvocation;

/**
 * Queue ping-pong: two threads pass a token back and forth through two queues, so every round
 * trip is two puts, two gets and two switches. Green threads on one hub with {@link LightQueue}
 * (unbounded, and the zero-capacity channel) beside plain JDK virtual threads with
 * {@link SynchronousQueue} and {@link ArrayBlockingQueue}. The score is nanoseconds per round trip.
 * Issue 4 expects the single-hub ping-pong at least 2× faster than SynchronousQueue.
 */
public class QueueBenchmark extends HubBenchmark {
    static final int ROUND_TRIPS = 10_000;

    @Benchmark
    @OperationsPerInvocation(ROUND_TRIPS)
    public long greenLightQueue() {
        return onGreenThread(() -> green(new LightQueue<>(), new LightQueue<>()));
    }

    @Benchmark
    @OperationsPerInvocation(ROUND_TRIPS)
    public long greenChannel() {
        return onGreenThread(() -> green(new LightQueue<>(0), new LightQueue<>(0)));
    }

    @Benchmark
    @OperationsPerInvocation(ROUND_TRIPS)
    public long jdkSynchronousQueue() throws Exception {
        return onVirtualThread(() -> jdk(new SynchronousQueue<>(), new SynchronousQueue<>()));
    }

    /**
     * The same SynchronousQueue ping-pong with the JDK scheduler held to one carrier, as a hub
     * is: on two carriers the two threads spin-hand the token to each other in parallel, which
     * is faster in wall time but burns both cores.
     */
    @Benchmark
    @OperationsPerInvocation(ROUND_TRIPS)
    @Fork(value = 3, jvmArgsAppend = {
            "--add-opens", "java.base/java.lang=ALL-UNNAMED",
            "--add-exports", "java.base/sun.nio.ch=ALL-UNNAMED",
            "--enable-native-access=ALL-UNNAMED",
            "-Djdk.virtualThreadScheduler.parallelism=1"})
    public long jdkSynchronousQueueOneCarrier() throws Exception {
        return onVirtualThread(() -> jdk(new SynchronousQueue<>(), new SynchronousQueue<>()));
    }

    @Benchmark
    @OperationsPerInvocation(ROUND_TRIPS)
    public long jdkArrayBlockingQueue() throws Exception {
        return onVirtualThread(() -> jdk(new ArrayBlockingQueue<>(1), new ArrayBlockingQueue<>(1)));
    }

    private long green(LightQueue<Integer> there, LightQueue<Integer> back) {
        greenHub().spawn(() -> {
            for (int i = 0; i < ROUND_TRIPS; i++) {
                back.put(there.get() + 1);
            }
            return null;
        });
        long sum = 0;
        for (int i = 0; i < ROUND_TRIPS; i++) {
            there.put(i);
            sum += back.get();
        }
        return sum;
    }

    private static long jdk(BlockingQueue<Integer> there, BlockingQueue<Integer> back) throws Exception {
        Thread partner = Thread.ofVirtual().start(() -> {
            try {
                for (int i = 0; i < ROUND_TRIPS; i++) {
                    back.put(there.take() + 1);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        long sum = 0;
        for (int i = 0; i < ROUND_TRIPS; i++) {
            there.put(i);
            sum += back.take();
        }
        partner.join();
        return sum;
    }

    /** The checksum every body returns: the sum of i + 1 over the round trips. */
    static long expected() {
        return (long) ROUND_TRIPS * (ROUND_TRIPS + 1) / 2;
    }
}
