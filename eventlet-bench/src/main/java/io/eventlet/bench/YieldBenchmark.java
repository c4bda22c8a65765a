package io.eventlet.bench;

import io.eventlet.Eventlet;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;

/**
 * One round trip of a green thread through its hub with {@link Eventlet#sleep()} (eventlet's
 * {@code sleep(0)}: back into the ready queue, one loop turn, resumed) against
 * {@link Thread#yield()} in a JDK virtual thread. The yielding thread is alone on its scheduler, so
 * this is the bare cost of the loop turn.
 */
public class YieldBenchmark extends HubBenchmark {
    static final int YIELDS = 10_000;

    @Benchmark
    @OperationsPerInvocation(YIELDS)
    public int greenThreads() {
        return onGreenThread(() -> {
            int i = 0;
            for (; i < YIELDS; i++) {
                Eventlet.sleep();
            }
            return i;
        });
    }

    @Benchmark
    @OperationsPerInvocation(YIELDS)
    public int jdkVirtualThreads() throws Exception {
        return onVirtualThread(() -> {
            int i = 0;
            for (; i < YIELDS; i++) {
                Thread.yield();
            }
            return i;
        });
    }
}
