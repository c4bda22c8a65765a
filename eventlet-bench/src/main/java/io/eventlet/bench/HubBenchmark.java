package io.eventlet.bench;

import io.eventlet.Hub;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The JMH settings every benchmark of this module shares, declared once (JMH reads these
 * annotations from superclasses), and the hub under test.
 *
 * <p>Each benchmark class measures one operation twice, side by side in the same run: on green
 * threads of a hub of kind {@link #hub}, and on plain JDK virtual threads (the default scheduler)
 * as the baseline. Both run the whole measured loop inside one thread per invocation that the JMH
 * thread starts and joins, so the hand-off from JMH's platform thread is paid once per
 * invocation and amortised by {@code @OperationsPerInvocation}. The baseline ignores {@link #hub};
 * it is repeated once per hub value so every table has its reference row.
 *
 * {@snippet :
 * public class MyBenchmark extends HubBenchmark {
 *     @Benchmark
 *     @OperationsPerInvocation(1000)
 *     public long greenThreads() throws Exception {
 *         return onGreenThread(() -> { for (int i = 0; i < 1000; i++) Eventlet.sleep(); return 1000L; });
 *     }
 * }
 * }
 *
 * <p>Threading: JMH calls the benchmark methods from one thread per trial (the default
 * {@code threads = 1}); the hub is created and closed on that thread.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 3, jvmArgsAppend = {
        // docs/design.md, founding decision 6: green threads need these in every JVM that runs them.
        "--add-opens", "java.base/java.lang=ALL-UNNAMED",
        "--add-exports", "java.base/sun.nio.ch=ALL-UNNAMED",
        "--enable-native-access=ALL-UNNAMED"})
@Warmup(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
public abstract class HubBenchmark {
    /** The kind of hub; `./eventlet bench --hub NAME` narrows it to one. */
    @Param({"epoll", "poll", "selector"})
    public String hub;

    private Hub greenHub;

    @Setup(Level.Trial)
    public void openHub() {
        greenHub = Hub.start(hub);
    }

    @TearDown(Level.Trial)
    public void closeHub() {
        if (greenHub != null) {
            greenHub.close();
            greenHub = null;
        }
    }

    /** The hub under test; open between {@link #openHub()} and {@link #closeHub()}. */
    protected final Hub greenHub() {
        return greenHub;
    }

    /** Runs {@code body} in a new green thread of the hub under test and waits for its result. */
    protected final <T> T onGreenThread(Callable<T> body) {
        return greenHub.spawn(body).join();
    }

    /** Runs {@code body} in a new plain JDK virtual thread and waits for its result. */
    protected static <T> T onVirtualThread(Callable<T> body) throws InterruptedException, ExecutionException {
        FutureTask<T> task = new FutureTask<>(body);
        Thread.ofVirtual().start(task).join();
        return task.get();
    }
}
