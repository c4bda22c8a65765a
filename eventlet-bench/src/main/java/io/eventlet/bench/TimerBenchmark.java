package io.eventlet.bench;

import io.eventlet.Timer;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Arm a timer and cancel it before it fires, the life of almost every timeout:
 * {@link io.eventlet.Hub#schedule} and {@link Timer#cancel()} from a green thread of that hub (the
 * hub-local path, no cross-thread hand-off) against a {@link ScheduledThreadPoolExecutor}
 * {@code schedule} and {@code cancel} from a JDK virtual thread. The executor removes cancelled
 * tasks at once, so its queue stays as small as the hub's heap.
 */
public class TimerBenchmark extends HubBenchmark {
    static final int TIMERS = 10_000;
    private static final Duration DELAY = Duration.ofSeconds(10);
    private static final Runnable NOTHING = () -> { };

    private ScheduledThreadPoolExecutor executor;

    @Setup(Level.Trial)
    public void startExecutor() {
        executor = new ScheduledThreadPoolExecutor(1);
        executor.setRemoveOnCancelPolicy(true);
    }

    @TearDown(Level.Trial)
    public void stopExecutor() {
        executor.shutdownNow();
    }

    @Benchmark
    @OperationsPerInvocation(TIMERS)
    public int greenThreads() {
        return onGreenThread(() -> {
            int cancelled = 0;
            for (int i = 0; i < TIMERS; i++) {
                Timer t = greenHub().schedule(DELAY, NOTHING);
                if (t.cancel()) {
                    cancelled++;
                }
            }
            return cancelled;
        });
    }

    @Benchmark
    @OperationsPerInvocation(TIMERS)
    public int jdkVirtualThreads() throws Exception {
        return onVirtualThread(() -> {
            int cancelled = 0;
            for (int i = 0; i < TIMERS; i++) {
                ScheduledFuture<?> f = executor.schedule(NOTHING, DELAY.toNanos(), TimeUnit.NANOSECONDS);
                if (f.cancel(false)) {
                    cancelled++;
                }
            }
            return cancelled;
        });
    }
}
