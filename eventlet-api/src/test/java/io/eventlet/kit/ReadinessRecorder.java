package io.eventlet.kit;





import io.eventlet.spi.Poller;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A {@link Poller.ReadinessListener} that records what it was told, and fails the test at once if
 * a poller reports an empty or unknown readiness. For poller tests, in the kit and in hub modules:
 *
 * {@snippet :
 * ReadinessRecorder r = new ReadinessRecorder();
 * poller.register(pipe.source(), Poller.READ, r);
 * poller.poll(timeout);
 * assertEquals(Poller.READ, r.ops());
 * }
 *
 * <p>Not thread-safe: the hub's (the test's) thread only, like a listener.
 */
public final class ReadinessRecorder implements Poller.ReadinessListener {
    private int calls;
    private int ops;

    @Override
    public void ready(int readyOps) {
        assertTrue((readyOps & (Poller.READ | Poller.WRITE)) != 0
                && (readyOps & ~(Poller.READ | Poller.WRITE | Poller.HANGUP)) == 0
                && ((readyOps & Poller.HANGUP) == 0 || (readyOps & Poller.READ) != 0), "ops " + readyOps);
        readyOps &= ~Poller.HANGUP;
        calls++;
        ops |= readyOps;
    }

    /** How many times the listener was called. */
    public int calls() {
        return calls;
    }

    /** Every readiness bit reported so far. */
    public int ops() {
        return ops;
    }

    /** Forgets what was recorded. */
    public void clear() {
        calls = 0;
        ops = 0;
    }
}
