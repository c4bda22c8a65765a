package io.eventlet.bench;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Runs every benchmark body once outside JMH, on the selector hub, and checks it did the work its
 * {@code @OperationsPerInvocation} claims: a benchmark that silently does less is worse than none.
 */
class BenchmarkBodiesTest {
    private static <B extends HubBenchmark> B opened(B benchmark) {
        benchmark.hub = "selector";
        benchmark.openHub();
        return benchmark;
    }

    @Test
    void switchBodiesExchangeTheTurnEveryTime() throws Exception {
        SwitchBenchmark b = opened(new SwitchBenchmark());
        try {
            assertEquals(SwitchBenchmark.EXCHANGES, b.greenThreads());
            assertEquals(SwitchBenchmark.EXCHANGES, b.jdkVirtualThreads());
        } finally {
            b.closeHub();
        }
    }

    @Test
    void yieldBodiesYieldEveryTime() throws Exception {
        YieldBenchmark b = opened(new YieldBenchmark());
        try {
            assertEquals(YieldBenchmark.YIELDS, b.greenThreads());
            assertEquals(YieldBenchmark.YIELDS, b.jdkVirtualThreads());
        } finally {
            b.closeHub();
        }
    }

    @Test
    void spawnBodiesRunEveryThread() throws Exception {
        SpawnBenchmark b = opened(new SpawnBenchmark());
        try {
            assertEquals(SpawnBenchmark.THREADS, b.greenThreads());
            assertEquals(SpawnBenchmark.THREADS, b.jdkVirtualThreads());
        } finally {
            b.closeHub();
        }
    }

    @Test
    void spawnJoinBodiesSeeEveryResult() throws Exception {
        SpawnJoinBenchmark b = opened(new SpawnJoinBenchmark());
        long expected = (long) SpawnJoinBenchmark.THREADS * (SpawnJoinBenchmark.THREADS - 1) / 2;
        try {
            assertEquals(expected, b.greenThreads());
            assertEquals(expected, b.jdkVirtualThreads());
        } finally {
            b.closeHub();
        }
    }

    @Test
    void timerBodiesCancelEveryTimerBeforeItFires() throws Exception {
        TimerBenchmark b = opened(new TimerBenchmark());
        b.startExecutor();
        try {
            assertEquals(TimerBenchmark.TIMERS, b.greenThreads());
            assertEquals(TimerBenchmark.TIMERS, b.jdkVirtualThreads());
        } finally {
            b.stopExecutor();
            b.closeHub();
        }
    }

    @Test
    void queueBodiesMakeEveryRoundTrip() throws Exception {
        QueueBenchmark b = opened(new QueueBenchmark());
        try {
            assertEquals(QueueBenchmark.expected(), b.greenLightQueue());
            assertEquals(QueueBenchmark.expected(), b.greenChannel());
            assertEquals(QueueBenchmark.expected(), b.jdkSynchronousQueue());
            assertEquals(QueueBenchmark.expected(), b.jdkArrayBlockingQueue());
        } finally {
            b.closeHub();
        }
    }

    @Test
    void semaphoreBodiesAcquireEveryTime() throws Exception {
        SemaphoreBenchmark b = opened(new SemaphoreBenchmark());
        try {
            assertEquals(SemaphoreBenchmark.OPERATIONS, b.greenUncontended());
            assertEquals(SemaphoreBenchmark.OPERATIONS, b.jdkUncontended());
            assertEquals(SemaphoreBenchmark.OPERATIONS, b.greenHandOff());
            assertEquals(SemaphoreBenchmark.OPERATIONS, b.jdkHandOff());
        } finally {
            b.closeHub();
        }
    }

    @Test
    void poolBodiesRunEveryTask() throws Exception {
        GreenPoolBenchmark b = opened(new GreenPoolBenchmark());
        try {
            assertEquals(GreenPoolBenchmark.TASKS, b.greenPool());
            assertEquals(GreenPoolBenchmark.TASKS, b.jdkExecutor());
        } finally {
            b.closeHub();
        }
    }

    @Test
    void tpoolBodiesMakeEveryCall() throws Exception {
        TpoolBenchmark b = opened(new TpoolBenchmark());
        b.openPool();
        try {
            assertEquals(TpoolBenchmark.expected(), b.greenTpool());
            assertEquals(TpoolBenchmark.expected(), b.jdkExecutorService());
        } finally {
            b.closePool();
            b.closeHub();
        }
    }

    @Test
    void socketBodiesMakeEveryRoundTrip() throws Exception {
        SocketBenchmark b = opened(new SocketBenchmark());
        b.listen();
        try {
            assertEquals(SocketBenchmark.expected(), b.greenNoTimeout());
            assertEquals(SocketBenchmark.expected(), b.greenWithTimeout());
            assertEquals(SocketBenchmark.expected(), b.greenWithTimeoutAmongIdleTimers());
            assertEquals(SocketBenchmark.expected(), b.jdkWithTimeout());
        } finally {
            b.stopListening();
            b.closeHub();
        }
    }
}
