package io.eventlet.kit;

import io.eventlet.Hub;
import io.eventlet.spi.HubProvider;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the behaviour suites share: running a green body on a fresh hub, bounded waits. */
final class OnHub {
    /** A green test body; it may throw anything, including assertion errors. */
    @FunctionalInterface
    interface Body {
        void run() throws Exception;
    }

    private OnHub() {
    }

    /** Runs {@code body} as the main green thread of a new hub of {@code provider}; rethrows its failure. */
    static void run(HubProvider provider, Body body) {
        Hub.run(provider, () -> {
            body.run();
            return null;
        });
    }

    /**
     * Waits for {@code latch} and fails if it is not released in time. Works in a green thread
     * (the wait yields to the hub) and in a plain one.
     */
    static void await(CountDownLatch latch, String what) throws InterruptedException {
        assertTrue(latch.await(20, TimeUnit.SECONDS), "timed out waiting for " + what);
    }
}
