package io.eventlet.bench;

import io.eventlet.sync.Semaphore;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;

/**
 * Semaphores: an uncontended acquire + release, and a hand-off where two threads pass one permit
 * back and forth through two semaphores (a switch per hand-off). {@link Semaphore} on green
 * threads of one hub beside {@link java.util.concurrent.Semaphore} on plain JDK virtual threads.
 * The score is nanoseconds per acquire + release, or per hand-off.
 */
public class SemaphoreBenchmark extends HubBenchmark {
    static final int OPERATIONS = 10_000;

    @Benchmark
    @OperationsPerInvocation(OPERATIONS)
    public long greenUncontended() {
        return onGreenThread(() -> {
            Semaphore s = new Semaphore(1);
            long n = 0;
            for (int i = 0; i < OPERATIONS; i++) {
                s.acquire();
                n++;
                s.release();
            }
            return n;
        });
    }

    @Benchmark
    @OperationsPerInvocation(OPERATIONS)
    public long jdkUncontended() throws Exception {
        return onVirtualThread(() -> {
            java.util.concurrent.Semaphore s = new java.util.concurrent.Semaphore(1);
            long n = 0;
            for (int i = 0; i < OPERATIONS; i++) {
                s.acquire();
                n++;
                s.release();
            }
            return n;
        });
    }

    @Benchmark
    @OperationsPerInvocation(2 * OPERATIONS)
    public long greenHandOff() {
        return onGreenThread(() -> {
            Semaphore mine = new Semaphore(0);
            Semaphore theirs = new Semaphore(0);
            greenHub().spawn(() -> {
                for (int i = 0; i < OPERATIONS; i++) {
                    theirs.acquire();
                    mine.release();
                }
                return null;
            });
            long n = 0;
            for (int i = 0; i < OPERATIONS; i++) {
                theirs.release();
                mine.acquire();
                n++;
            }
            return n;
        });
    }

    @Benchmark
    @OperationsPerInvocation(2 * OPERATIONS)
    public long jdkHandOff() throws Exception {
        return onVirtualThread(() -> {
            java.util.concurrent.Semaphore mine = new java.util.concurrent.Semaphore(0);
            java.util.concurrent.Semaphore theirs = new java.util.concurrent.Semaphore(0);
            Thread partner = Thread.ofVirtual().start(() -> {
                for (int i = 0; i < OPERATIONS; i++) {
                    theirs.acquireUninterruptibly();
                    mine.release();
                }
            });
            long n = 0;
            for (int i = 0; i < OPERATIONS; i++) {
                theirs.release();
                mine.acquire();
                n++;
            }
            partner.join();
            return n;
        });
    }
}
