package io.eventlet.examples;

import io.eventlet.Eventlet;
import io.eventlet.GreenThread;
import io.eventlet.Hub;
import io.eventlet.internal.HubSelection;
import io.eventlet.spi.HubProvider;
import java.io.PrintWriter;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * A short, self-explaining run that shows green threads at work on one hub and prints what it
 * measured: (1) many green threads sleeping on hub timers, (2) pairs of green threads passing
 * messages through JDK {@link ArrayBlockingQueue}s, (3) the same ping-pong on plain JDK virtual
 * threads for comparison. Nothing is hard-coded: every figure printed is measured in this run.
 *
 * {@snippet lang = "shell" :
 * ./eventlet demo --hub selector --threads 100000 --pairs 10000 --rounds 100
 * }
 *
 * <p>Threading: {@link #call()} runs on the launcher's thread; each green phase runs a new hub on
 * that same thread ({@link Hub#run}) and closes it before the next phase.
 */
@Command(name = "demo", description = "Green threads at work on one hub, beside plain JDK virtual threads.")
public final class Demo implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(Demo.class);
    /** Each sleeper of phase 1 sleeps a random duration in [0, MAX_SLEEP]. */
    static final Duration MAX_SLEEP = Duration.ofSeconds(1);
    private static final int WARMUP_RUNS = 3;
    private static final int WARMUP_THREADS = 5_000;
    private static final Duration WARMUP_MAX_SLEEP = Duration.ofMillis(20);
    private static final int WARMUP_PAIRS = 1_000;
    private static final int WARMUP_ROUNDS = 20;
    private static final String RULE = "-".repeat(72);

    @Option(names = "--threads", paramLabel = "N", defaultValue = "100000",
            description = "Green threads that sleep on hub timers in phase 1 (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--pairs", paramLabel = "N", defaultValue = "10000",
            description = "Ping-pong pairs in phases 2 and 3 (default: ${DEFAULT-VALUE}).")
    int pairs;

    @Option(names = "--rounds", paramLabel = "N", defaultValue = "100",
            description = "Exchanges (a ping and its pong) per pair (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        requirePositive("--threads", threads);
        requirePositive("--pairs", pairs);
        requirePositive("--rounds", rounds);
        HubProvider provider;
        try {
            provider = HubSelection.fromEnvironment().chosen();   // --hub has set the property
        } catch (IllegalStateException e) {
            spec.commandLine().getErr().println(e.getMessage());
            return Launcher.HUB_UNAVAILABLE;
        }
        return run(provider, spec.commandLine().getOut()) ? 0 : 1;
    }

    private void requirePositive(String option, int value) {
        if (value <= 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), option + " must be positive, not " + value);
        }
    }

    /** Runs the three phases, printing as it goes; returns whether every message was verified. */
    boolean run(HubProvider provider, PrintWriter out) throws Exception {
        long start = System.nanoTime();
        int carriers = Integer.getInteger("jdk.virtualThreadScheduler.parallelism", Runtime.getRuntime().availableProcessors());
        out.printf(Locale.ROOT, "eventlet demo on hub '%s' (JDK %s, %d CPUs)%n",
                provider.name(), Runtime.version(), Runtime.getRuntime().availableProcessors());
        log.debug("demo: {} sleepers, {} pairs x {} rounds on hub {}", threads, pairs, rounds, provider.name());

        long warmup = warmUp(provider);
        out.printf(Locale.ROOT, "warm-up: %s (a frame parked in code the JIT compiled before any thread woke up is"
                + " deoptimised, one by one, when it resumes: let the JIT see the whole path first)%n", millis(warmup));

        out.printf(Locale.ROOT, "%nphase 1: %,d green threads on one hub, each sleeping a random 0-%d ms on hub timers%n",
                threads, MAX_SLEEP.toMillis());
        out.flush();
        long hubThreadId = Thread.currentThread().threadId();   // Hub.run makes the calling thread the hub's
        SleepResult sleep = Hub.run(provider, () -> sleepers(threads, MAX_SLEEP, true, hubThreadId));
        out.printf(Locale.ROOT, "  spawned %,d green threads in %s (%,d spawns/s)%n",
                sleep.threads, millis(sleep.spawnNanos), perSecond(sleep.threads, sleep.spawnNanos));
        out.printf(Locale.ROOT, "  peak live green threads: %,d (Hub.stats, including the demo's own main green thread)%n",
                sleep.peakLive);
        out.printf(Locale.ROOT, "  heap used at peak: %s, %,d bytes per parked green thread (after a GC hint)%n",
                megabytes(sleep.heapAtPeak), sleep.bytesPerThread());
        out.printf(Locale.ROOT, "  woke %,d sleepers; lateness p50 %s, p99 %s, max %s; hub timers fired %,d%n",
                sleep.lateness.getTotalCount(), latenessMillis(sleep.lateness, 50), latenessMillis(sleep.lateness, 99),
                latenessMillis(sleep.lateness, 100), sleep.timersFired);
        out.printf(Locale.ROOT, "  while they slept (%s): GC %s; the hub's thread ran %s on a CPU%n",
                seconds(sleep.sleepNanos), sleep.gcWhileSleeping, sleep.hubCpuNanos < 0 ? "(not measurable here)" : seconds(sleep.hubCpuNanos));
        out.println("  (a GC pause stalls the hub, and a hub thread that gets less CPU than it needs falls behind:"
                + " both show up as lateness)");
        out.printf(Locale.ROOT, "  phase 1 wall time: %s%n", seconds(sleep.wallNanos));

        out.printf(Locale.ROOT, "%nphase 2: %,d pairs of green threads, %,d exchanges each (a ping and its pong) through ArrayBlockingQueue(1)%n",
                pairs, rounds);
        out.println("  ArrayBlockingQueue.put/take are plain JDK blocking calls: in a green thread they park it and yield to the hub.");
        out.println("  (Not SynchronousQueue: it spins before it parks, and on one hub the partner cannot run during the spin;");
        out.println("  see docs/design.md.)");
        out.flush();
        PingPongResult green = Hub.run(provider, () -> pingPong(pairs, rounds, Demo::spawnGreen));
        printPingPong(out, green);

        out.printf(Locale.ROOT, "%nphase 3: the same ping-pong on plain JDK virtual threads (default scheduler, %d carrier threads)%n",
                carriers);
        out.flush();
        PingPongResult jdk = pingPong(pairs, rounds, Demo::spawnVirtual);
        printPingPong(out, jdk);
        double ratio = green.perSecond() / jdk.perSecond();
        out.printf(Locale.ROOT, "  green / JDK virtual threads: %.2fx%n", ratio);

        long wall = System.nanoTime() - start;
        out.println();
        out.println(RULE);
        row(out, "hub", provider.name());
        row(out, "green threads spawned", String.format(Locale.ROOT, "%,d (%,d /s)", sleep.threads, perSecond(sleep.threads, sleep.spawnNanos)));
        row(out, "peak live green threads", String.format(Locale.ROOT, "%,d", sleep.peakLive));
        row(out, "heap per parked green thread", String.format(Locale.ROOT, "%,d B (%s at peak)", sleep.bytesPerThread(), megabytes(sleep.heapAtPeak)));
        row(out, "sleep lateness p50 / p99 / max", latenessMillis(sleep.lateness, 50) + " / " + latenessMillis(sleep.lateness, 99)
                + " / " + latenessMillis(sleep.lateness, 100));
        row(out, "ping-pong, green threads", String.format(Locale.ROOT, "%,d exchanges/s", Math.round(green.perSecond())));
        row(out, "ping-pong, JDK virtual threads", String.format(Locale.ROOT, "%,d exchanges/s", Math.round(jdk.perSecond())));
        row(out, "green / JDK", String.format(Locale.ROOT, "%.2fx", ratio));
        row(out, "total wall time", seconds(wall));
        out.println(RULE);
        out.flush();
        boolean ok = green.verified == green.exchanges && jdk.verified == jdk.exchanges
                && sleep.lateness.getTotalCount() == sleep.threads;
        if (!ok) {
            log.error("demo: some messages or sleepers were lost: green {}/{}, JDK {}/{}, sleepers {}/{}",
                    green.verified, green.exchanges, jdk.verified, jdk.exchanges, sleep.lateness.getTotalCount(), sleep.threads);
        }
        return ok;
    }

    /**
     * Runs every measured path a few times at small sizes, so the JIT compiles it with profiles
     * that include wake-ups. Without this, 100,000 threads park inside code compiled before any of
     * them woke; the JIT then treats the wake-up branch as never taken, and every parked frame
     * hits that trap and is deoptimised on its own when it resumes (tens of µs each). Returns the
     * time it took.
     */
    private static long warmUp(HubProvider provider) throws Exception {
        long t0 = System.nanoTime();
        for (int i = 0; i < WARMUP_RUNS; i++) {
            Hub.run(provider, () -> sleepers(WARMUP_THREADS, WARMUP_MAX_SLEEP, false, -1));
            Hub.run(provider, () -> pingPong(WARMUP_PAIRS, WARMUP_ROUNDS, Demo::spawnGreen));
            pingPong(WARMUP_PAIRS, WARMUP_ROUNDS, Demo::spawnVirtual);
        }
        return System.nanoTime() - t0;
    }

    // ---- phase 1 ----------------------------------------------------------------------------

    /** What phase 1 measured. */
    record SleepResult(int threads, long spawnNanos, int peakLive, long heapBefore, long heapAtPeak,
                       Histogram lateness, long timersFired, GcActivity gcWhileSleeping, long sleepNanos,
                       long hubCpuNanos, long wallNanos) {
        long bytesPerThread() {
            return Math.max(0, heapAtPeak - heapBefore) / threads;
        }
    }

    /**
     * Runs in the main green thread of a fresh hub. The sleepers first park at a gate, so the heap
     * is measured with all of them alive and parked and the GC hint pauses nobody's timer; then
     * the gate opens and each sleeps a random time, recording how late its hub timer woke it.
     */
    static SleepResult sleepers(int threads, Duration maxSleep, boolean measureHeap, long hubThreadId) {
        Hub hub = Hub.current();
        long heapBefore = measureHeap ? heapUsedAfterGc() : 0;
        long timersBefore = hub.stats().timersFired();
        Histogram lateness = new Histogram(3);   // microseconds; only this hub's green threads record
        Gate gate = new Gate();
        long maxSleepNanos = maxSleep.toNanos();

        long t0 = System.nanoTime();
        GreenThread<?>[] sleepers = new GreenThread<?>[threads];
        for (int i = 0; i < threads; i++) {
            sleepers[i] = hub.spawn(() -> {
                gate.await();
                long asked = ThreadLocalRandom.current().nextLong(maxSleepNanos + 1);
                long begin = System.nanoTime();
                Eventlet.sleep(Duration.ofNanos(asked));
                long late = System.nanoTime() - begin - asked;
                lateness.recordValue(Math.max(0, late) / 1_000);
                return null;
            });
        }
        long spawnNanos = System.nanoTime() - t0;
        while (gate.waiting < threads) {
            Eventlet.sleep();   // spawned threads start when we yield
        }
        int peakLive = hub.stats().greenThreads();
        long heapAtPeak = measureHeap ? heapUsedAfterGc() : 0;

        GcActivity gcBefore = GcActivity.now();
        long cpuBefore = hubCpuNanos(hubThreadId);
        long release = System.nanoTime();
        gate.open = true;
        for (GreenThread<?> g : sleepers) {
            LockSupport.unpark(g.thread());
        }
        for (GreenThread<?> g : sleepers) {
            g.join();
        }
        long wall = System.nanoTime() - t0;
        return new SleepResult(threads, spawnNanos, peakLive, heapBefore, heapAtPeak, lateness,
                hub.stats().timersFired() - timersBefore, GcActivity.now().since(gcBefore), System.nanoTime() - release,
                cpuBefore < 0 ? -1 : hubCpuNanos(hubThreadId) - cpuBefore, wall);
    }

    /** Holds green threads of one hub until it opens. */
    private static final class Gate {
        volatile boolean open;
        /** Only green threads of one hub write it, never in parallel, so ++ is safe here. */
        volatile int waiting;

        void await() {
            waiting++;
            while (!open) {   // park may return spuriously
                LockSupport.park(this);
            }
        }
    }

    /** CPU time of the platform thread {@code id}, or -1 when the JVM cannot tell. */
    private static long hubCpuNanos(long id) {
        if (id < 0) {
            return -1;
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        return threads.isThreadCpuTimeSupported() && threads.isThreadCpuTimeEnabled() ? threads.getThreadCpuTime(id) : -1;
    }

    private static long heapUsedAfterGc() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        memory.gc();   // a hint; it blocks the hub's thread while it runs, which no timer notices here
        return memory.getHeapMemoryUsage().getUsed();
    }

    // ---- phases 2 and 3 ---------------------------------------------------------------------

    /** What a ping-pong phase measured; an exchange is a ping and its pong. */
    record PingPongResult(int pairs, int rounds, long exchanges, long verified, long nanos, GcActivity gc) {
        double perSecond() {
            return exchanges * 1e9 / nanos;
        }
    }

    /** Starts a body in a new thread and returns a way to wait for its result. */
    @FunctionalInterface
    interface Starter {
        Joiner start(Callable<Long> body);
    }

    /** Waits for a started body's result. */
    @FunctionalInterface
    interface Joiner {
        long join() throws Exception;
    }

    private static Joiner spawnGreen(Callable<Long> body) {
        GreenThread<Long> g = Hub.current().spawn(body);
        return g::join;
    }

    private static Joiner spawnVirtual(Callable<Long> body) {
        FutureTask<Long> task = new FutureTask<>(body);
        Thread.ofVirtual().start(task);
        return task::get;
    }

    /**
     * {@code pairs} pairs exchange {@code rounds} messages each: the pinger puts {@code r} on one
     * queue, the ponger takes it and puts {@code r + 1} on the other, and the pinger checks it.
     * Timed from the first spawn to the last join.
     */
    static PingPongResult pingPong(int pairs, int rounds, Starter starter) throws Exception {
        GcActivity gcBefore = GcActivity.now();
        long t0 = System.nanoTime();
        Joiner[] pingers = new Joiner[pairs];
        Joiner[] pongers = new Joiner[pairs];
        for (int p = 0; p < pairs; p++) {
            ArrayBlockingQueue<Integer> ping = new ArrayBlockingQueue<>(1);
            ArrayBlockingQueue<Integer> pong = new ArrayBlockingQueue<>(1);
            pingers[p] = starter.start(() -> {
                long verified = 0;
                for (int r = 0; r < rounds; r++) {
                    ping.put(r);
                    if (pong.take() == r + 1) {
                        verified++;
                    }
                }
                return verified;
            });
            pongers[p] = starter.start(() -> {
                for (int r = 0; r < rounds; r++) {
                    pong.put(ping.take() + 1);
                }
                return (long) rounds;
            });
        }
        long verified = 0;
        for (int p = 0; p < pairs; p++) {
            verified += pingers[p].join();
            pongers[p].join();
        }
        long nanos = System.nanoTime() - t0;
        return new PingPongResult(pairs, rounds, (long) pairs * rounds, verified, nanos, GcActivity.now().since(gcBefore));
    }

    private static void printPingPong(PrintWriter out, PingPongResult r) {
        out.printf(Locale.ROOT, "  %,d exchanges (%,d messages), %,d verified, in %s: %,d exchanges/s; GC: %s%n",
                r.exchanges, 2 * r.exchanges, r.verified, seconds(r.nanos), Math.round(r.perSecond()), r.gc);
        out.flush();
    }

    /** Collections and their accumulated time, as the JVM's collectors report them (pauses, not concurrent work). */
    record GcActivity(long collections, long millis) {
        static GcActivity now() {
            long count = 0;
            long time = 0;
            for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                String name = gc.getName();
                if (name.contains("Concurrent") || name.contains("Cycles")) {
                    continue;   // G1's and ZGC's concurrent work runs beside the application, not in pauses
                }
                count += Math.max(0, gc.getCollectionCount());
                time += Math.max(0, gc.getCollectionTime());
            }
            return new GcActivity(count, time);
        }

        GcActivity since(GcActivity before) {
            return new GcActivity(collections - before.collections, millis - before.millis);
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%,d collections, %,d ms", collections, millis);
        }
    }

    // ---- formatting -------------------------------------------------------------------------

    private static void row(PrintWriter out, String what, String value) {
        out.printf(Locale.ROOT, "  %-34s %s%n", what, value);
    }

    private static long perSecond(long count, long nanos) {
        return Math.round(count * 1e9 / Math.max(1, nanos));
    }

    private static String millis(long nanos) {
        return String.format(Locale.ROOT, "%,.1f ms", nanos / 1e6);
    }

    private static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.2f s", nanos / 1e9);
    }

    private static String megabytes(long bytes) {
        return String.format(Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024.0));
    }

    private static String latenessMillis(Histogram h, double percentile) {
        long micros = percentile >= 100 ? h.getMaxValue() : h.getValueAtPercentile(percentile);
        return String.format(Locale.ROOT, "%.2f ms", micros / 1e3);
    }
}
