package io.eventlet.bench;

import java.util.concurrent.Executors;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;

/**
 * The cost of one switch between two threads that hand the turn to each other with
 * {@link LockSupport#unpark} and {@link LockSupport#park}: on one hub (every switch passes through
 * the hub's ready queue) and on JDK virtual threads (the fork-join scheduler, whose carriers may
 * run the two in parallel). One exchange is two switches; the score is nanoseconds per switch.
 */
public class SwitchBenchmark extends HubBenchmark {
    static final int EXCHANGES = 10_000;

    @Benchmark
    @OperationsPerInvocation(2 * EXCHANGES)
    public int greenThreads() {
        return onGreenThread(() -> pingPong(EXCHANGES, body -> greenHub().spawn(Executors.callable(body)).thread()));
    }

    @Benchmark
    @OperationsPerInvocation(2 * EXCHANGES)
    public int jdkVirtualThreads() throws Exception {
        return onVirtualThread(() -> pingPong(EXCHANGES, body -> Thread.ofVirtual().start(body)));
    }

    /**
     * The caller and a partner started by {@code start} pass the turn back and forth
     * {@code exchanges} times; returns the exchanges the partner counted.
     */
    static int pingPong(int exchanges, Function<Runnable, Thread> start) throws InterruptedException {
        Turn turn = new Turn(Thread.currentThread());
        Thread partner = start.apply(() -> turn.serve(exchanges));
        for (int i = 0; i < exchanges; i++) {
            turn.owner = Turn.PARTNER;
            LockSupport.unpark(partner);
            while (turn.owner != Turn.CALLER) {   // park may return spuriously
                LockSupport.park(turn);
            }
        }
        partner.join();
        return turn.served;
    }

    /** Whose turn it is; written by the side that gives the turn away. */
    static final class Turn {
        static final int CALLER = 0;
        static final int PARTNER = 1;

        final Thread caller;
        volatile int owner = CALLER;
        int served;   // only the partner writes it; join() publishes it to the caller

        Turn(Thread caller) {
            this.caller = caller;
        }

        void serve(int exchanges) {
            for (int i = 0; i < exchanges; i++) {
                while (owner != PARTNER) {
                    LockSupport.park(this);
                }
                served++;
                owner = CALLER;
                LockSupport.unpark(caller);
            }
        }
    }
}
